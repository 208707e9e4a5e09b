import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { killWithParent, waitForReady } from '../child-process';
import type { DeviceReply, DeviceRequest, EditedOffline, Reconnected, SignedIn } from './device-ipc';

const DEVICE_PROCESS = fileURLToPath(new URL('./device-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Pending = { resolve(m: DeviceReply): void; reject(e: Error): void };
/** A request without its id: the host numbers them. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Ask<T extends DeviceRequest['type']> = Omit<Extract<DeviceRequest, { type: T }>, 'id' | 'type'>;

/** Parent side of the device process: one rep's device, asked to sign in, work offline and reconnect. */
export class DeviceHost {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();

	private constructor(
		private readonly child: ChildProcess,
		private readonly kill: () => void
	) {
		child.on('message', (m) => {
			const message = m as DeviceReply;
			const pending = this.pending.get(message.id);
			if (!pending) return;
			this.pending.delete(message.id);
			if (message.type === 'error') pending.reject(new Error(message.message));
			else pending.resolve(message);
		});
		child.on('exit', (code) => {
			const err = new Error(`device process exited (code ${code})`);
			for (const p of this.pending.values()) p.reject(err);
			this.pending.clear();
		});
	}

	static async start(log: (line: string) => void): Promise<DeviceHost> {
		const child = fork(DEVICE_PROCESS, [], { cwd: REPO_ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
		for (const stream of [child.stdout, child.stderr]) {
			if (stream) createInterface({ input: stream }).on('line', (line) => log(`device: ${line}`));
		}
		const kill = killWithParent(child);
		await waitForReady<{ type: 'ready' } | { type: 'error'; message: string }>(child, 'device', kill);
		return new DeviceHost(child, kill);
	}

	async signIn(ask: Ask<'sign-in'>): Promise<SignedIn> {
		const reply = await this.request({ ...ask, type: 'sign-in' });
		if (reply.type !== 'signed-in') throw new Error(`unexpected reply ${reply.type}`);
		return reply.result;
	}

	async editOffline(ask: Ask<'edit-offline'>): Promise<EditedOffline> {
		const reply = await this.request({ ...ask, type: 'edit-offline' });
		if (reply.type !== 'edited') throw new Error(`unexpected reply ${reply.type}`);
		return reply.result;
	}

	async reconnect(ask: Ask<'reconnect'>): Promise<Reconnected> {
		const reply = await this.request({ ...ask, type: 'reconnect' });
		if (reply.type !== 'reconnected') throw new Error(`unexpected reply ${reply.type}`);
		return reply.result;
	}

	async readPhones(names: string[]): Promise<Record<string, string>> {
		const reply = await this.request({ type: 'read-phones', names });
		if (reply.type !== 'phones') throw new Error(`unexpected reply ${reply.type}`);
		return reply.result;
	}

	/** Ends the device process (its engine stops with it). */
	close(): void {
		this.child.disconnect();
		setTimeout(() => this.kill(), 5_000).unref();
	}

	private request(request: WithoutId<DeviceRequest>): Promise<DeviceReply> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.child.send({ ...request, id });
		});
	}
}
