/**
 * A rep's device without the browser: the app's own sync engine over
 * fake-indexeddb and Node's `ws`, in a process of its own so its work never
 * delays the emulated link's timers in the benchmark process. Driven over IPC
 * (device-ipc.ts): sign in, work offline, come back online.
 */
import { setAccountFields } from '../../src/lib/model/index';
import type { SyncStatus } from '../../src/lib/sync/engine-types';
import type { SyncEngine } from '../../src/lib/sync/sync-engine';
import { freshDevice, startEngine, TestNetwork } from '../../tests/helpers/device-engine';
import type { DeviceReply, DeviceRequest } from './device-ipc';

let engine: SyncEngine | undefined;
const network = new TestNetwork();

function reply(message: DeviceReply): void {
	process.send?.(message);
}

/** Resolves at the first status (now or later) that satisfies `done`; rejects after `timeoutMs`. */
function until(what: string, done: (status: SyncStatus) => boolean, timeoutMs: number): Promise<void> {
	const current = engine;
	if (!current) return Promise.reject(new Error('not signed in'));
	return new Promise((resolve, reject) => {
		// onStatus calls back at once when the status already satisfies `done`, before it has returned the unsubscribe.
		const subscription: { stop?: () => void; settled: boolean } = { settled: false };
		const timer = setTimeout(() => {
			subscription.stop?.();
			reject(new Error(`device: ${what} not reached within ${timeoutMs} ms (status ${JSON.stringify(current.status)})`));
		}, timeoutMs);
		subscription.stop = current.onStatus((status) => {
			if (subscription.settled || !done(status)) return;
			subscription.settled = true;
			clearTimeout(timer);
			queueMicrotask(() => subscription.stop?.());
			resolve();
		});
	});
}

/** Synced since `sinceMs` (epoch): online, everything downloaded, nothing waiting. */
const syncedSince = (sinceMs: number) => (s: SyncStatus) =>
	s.connection === 'online' && !s.downloading && s.waiting === 0 && s.lastSyncedAt !== null && Date.parse(s.lastSyncedAt) >= sinceMs;

async function handle(request: DeviceRequest): Promise<DeviceReply> {
	switch (request.type) {
		case 'sign-in': {
			freshDevice();
			network.set(true);
			const started = await startEngine(request.baseUrl, network);
			engine = started.engine;
			await engine.ready;
			const since = Math.floor(Date.now() / 1000) * 1000;
			const t0 = performance.now();
			await engine.signIn(request.username, request.password);
			await until('first sync', (s) => s.total > 0 && syncedSince(since)(s), request.timeoutMs);
			const ms = performance.now() - t0;
			return {
				id: request.id,
				type: 'signed-in',
				result: { ms, documents: engine.status.total, accounts: engine.list('account').map((e) => e.name) }
			};
		}
		case 'edit-offline': {
			const device = requireEngine();
			network.set(false);
			await until('offline', (s) => s.connection === 'offline', request.timeoutMs);
			const names = device
				.list('account')
				.map((e) => e.name)
				.slice(0, request.accounts);
			for (const [i, name] of names.entries()) {
				const doc = await device.open(name);
				setAccountFields(doc, { phone: `${request.phone}${String(i).padStart(2, '0')}` });
				device.release(name);
			}
			await until(`${names.length} changes waiting`, (s) => s.waiting === names.length, request.timeoutMs);
			return { id: request.id, type: 'edited', result: { names } };
		}
		case 'reconnect': {
			requireEngine();
			const since = Math.floor(Date.now() / 1000) * 1000;
			const t0 = performance.now();
			network.set(true);
			await until('reconnect synced', syncedSince(since), request.timeoutMs);
			return { id: request.id, type: 'reconnected', result: { ms: performance.now() - t0 } };
		}
		case 'read-phones': {
			const device = requireEngine();
			const phones: Record<string, string> = {};
			for (const name of request.names) {
				const doc = await device.open(name);
				phones[name] = String(doc.getMap('fields').get('phone') ?? '');
				device.release(name);
			}
			return { id: request.id, type: 'phones', result: phones };
		}
	}
}

function requireEngine(): SyncEngine {
	if (!engine) throw new Error('not signed in');
	return engine;
}

process.on('message', (m) => {
	const request = m as DeviceRequest;
	handle(request).then(reply, (err: unknown) =>
		reply({ id: request.id, type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) })
	);
});
process.on('disconnect', () => {
	engine?.destroy();
	process.exit(0);
});
process.send?.({ type: 'ready' });
