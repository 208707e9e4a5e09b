import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createRandom, type Random } from '../../server/seed/random';
import { isWholeUncompressedMessage, WebSocketFrameSplitter } from './websocket-frames';

/**
 * What goes wrong, as chances per websocket frame crossing the proxy (either
 * direction). All zero is a clean wire.
 */
export interface FaultPlan {
	/** Hold the frame back up to `maxDelayMs`; frames of one direction keep their order. */
	delayChance: number;
	maxDelayMs: number;
	/** Forward the frame twice, when it is a whole message on its own. */
	duplicateChance: number;
	/** Drop the connection before the frame: it and everything after it are lost. */
	dropChance: number;
	/** Forward only the first part of the frame, then drop the connection mid-message. */
	cutChance: number;
}

export const CLEAN_WIRE: FaultPlan = { delayChance: 0, maxDelayMs: 0, duplicateChance: 0, dropChance: 0, cutChance: 0 };

export interface FaultCounts {
	connections: number;
	delayed: number;
	duplicated: number;
	dropped: number;
	cut: number;
	/** Connections refused because no relay was behind the proxy. */
	refused: number;
}

export interface FaultProxy {
	/** `ws://127.0.0.1:<proxy port>`, to hand to clients instead of the relay's. */
	readonly wsBase: string;
	readonly counts: FaultCounts;
	/** Changes the faults for every frame from now on (open connections included). */
	setPlan(plan: FaultPlan): void;
	/** Points new connections at another relay port; null refuses them (the relay is down). */
	setUpstream(port: number | null): void;
	/** Drops every open connection at once. */
	dropAll(): void;
	/** Cuts every open connection partway through the next frame it carries. */
	cutNextFrame(): void;
	close(): Promise<void>;
}

/**
 * A TCP proxy between websocket clients and the relay that breaks the network
 * on purpose: it delays, repeats and loses websocket frames and cuts connections
 * mid-frame. It works on whole frames (not raw chunks), so a repeated frame is a
 * message delivered twice rather than a corrupt stream. Every choice comes from
 * one seeded PRNG, so a failing run's seed replays the same mix of faults (the
 * exact interleaving also depends on timers and the scheduler).
 */
export async function startFaultProxy(options: { upstreamPort: number; seed: number; plan?: FaultPlan }): Promise<FaultProxy> {
	const random = createRandom(options.seed);
	let plan = options.plan ?? CLEAN_WIRE;
	let upstreamPort: number | null = options.upstreamPort;
	const counts: FaultCounts = { connections: 0, delayed: 0, duplicated: 0, dropped: 0, cut: 0, refused: 0 };
	const links = new Set<Link>();

	const server: Server = createServer((client) => {
		client.on('error', () => {});
		if (upstreamPort === null) {
			counts.refused++;
			client.destroy();
			return;
		}
		counts.connections++;
		const link = new Link(client, connect({ host: '127.0.0.1', port: upstreamPort }), {
			random,
			plan: () => plan,
			counts,
			onClosed: () => links.delete(link)
		});
		links.add(link);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;

	return {
		wsBase: `ws://127.0.0.1:${port}`,
		counts,
		setPlan(next) {
			plan = next;
		},
		setUpstream(next) {
			upstreamPort = next;
		},
		dropAll() {
			counts.dropped += links.size;
			for (const link of links) link.drop();
		},
		cutNextFrame() {
			for (const link of links) link.cutNext = true;
		},
		close() {
			for (const link of links) link.drop();
			return new Promise((resolve) => server.close(() => resolve()));
		}
	};
}

/** What happens to one frame. */
interface FrameFate {
	delayMs: number;
	drop: boolean;
	cut: boolean;
	/** Bytes forwarded before a cut. */
	cutAt: number;
	duplicate: boolean;
}

interface LinkContext {
	random: Random;
	plan(): FaultPlan;
	counts: FaultCounts;
	onClosed(): void;
}

/** One client connection and its connection to the relay, frames flowing both ways through the faults. */
class Link {
	private closed = false;
	/** The next frame either way is cut partway, whatever the plan says. */
	cutNext = false;

	constructor(
		private readonly client: Socket,
		private readonly upstream: Socket,
		private readonly context: LinkContext
	) {
		upstream.on('error', () => {});
		this.pipe(client, upstream);
		this.pipe(upstream, client);
		for (const socket of [client, upstream]) socket.once('close', () => this.drop());
	}

	drop(): void {
		if (this.closed) return;
		this.closed = true;
		this.client.destroy();
		this.upstream.destroy();
		this.context.onClosed();
	}

	/** The peer gets the partial frame and then the end of the stream; nothing else crosses. */
	private cutAfter(to: Socket, partial: Buffer): void {
		this.closed = true;
		for (const socket of [this.client, this.upstream]) if (socket !== to) socket.destroy();
		to.end(partial);
		setTimeout(() => to.destroy(), 1000).unref();
		this.context.onClosed();
	}

	private pipe(from: Socket, to: Socket): void {
		const splitter = new WebSocketFrameSplitter();
		// Frames leave in arrival order even when one is held back: each waits for the one before.
		let tail: Promise<void> = Promise.resolve();
		from.on('data', (chunk: Buffer) => {
			for (const frame of splitter.push(chunk)) {
				const fate = this.decide(frame);
				tail = tail.then(async () => {
					if (fate.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fate.delayMs));
					this.forward(frame, to, fate);
				});
			}
		});
		from.on('end', () => void tail.then(() => to.end()));
	}

	/** Drawn when the frame arrives, so the sequence of choices follows the seed rather than the timers. */
	private decide(frame: Buffer): FrameFate {
		const plan = this.context.plan();
		const { random } = this.context;
		const draw = (chance: number) => chance > 0 && random.chance(chance);
		return {
			delayMs: draw(plan.delayChance) ? random.int(1, Math.max(1, plan.maxDelayMs)) : 0,
			drop: draw(plan.dropChance),
			cutAt: frame.length > 1 ? random.int(1, frame.length - 1) : 0,
			cut: draw(plan.cutChance),
			duplicate: draw(plan.duplicateChance)
		};
	}

	private forward(frame: Buffer, to: Socket, fate: FrameFate): void {
		if (this.closed || to.destroyed) return;
		const { counts } = this.context;
		if (fate.delayMs > 0) counts.delayed++;
		if (fate.drop) {
			counts.dropped++;
			this.drop();
			return;
		}
		if (fate.cutAt > 0 && (fate.cut || this.cutNext)) {
			counts.cut++;
			this.cutAfter(to, frame.subarray(0, fate.cutAt));
			return;
		}
		to.write(frame);
		if (fate.duplicate && isWholeUncompressedMessage(frame)) {
			counts.duplicated++;
			to.write(frame);
		}
	}
}
