/**
 * The soak run's load at fixed rates: a steady population of clients of which
 * a share leaves and is replaced every second, edits spread over many
 * documents, and presence changes. Every choice comes from a seeded PRNG.
 */
import { createRandom, type Random } from '../../server/seed/random';
import { DeviceClient, PlainDocClient, type SoakClient } from './soak-clients';

export interface LoadMixOptions {
	wsBase: string;
	token: string;
	/** Clients connected at any time. */
	clients: number;
	/** Documents the clients pick from. */
	docs: number;
	/** Documents one `/sync` device subscribes to. */
	docsPerDevice: number;
	/** Share of clients that are plain `/doc/<name>` clients rather than devices. */
	plainShare: number;
	/** Clients replaced per second (one leaves, a new one arrives). */
	churnPerSecond: number;
	editsPerSecond: number;
	presencePerSecond: number;
	seed: number;
}

export interface LoadCounts {
	connects: number;
	disconnects: number;
	edits: number;
	presence: number;
	/** Edits and presence changes due on a client still connecting (not made). */
	skipped: number;
}

const TICK_MS = 10;

export class LoadMix {
	private readonly random: Random;
	private readonly clients: SoakClient[] = [];
	private timer: NodeJS.Timeout | undefined;
	private nextKey = 0;
	readonly counts: LoadCounts = { connects: 0, disconnects: 0, edits: 0, presence: 0, skipped: 0 };

	constructor(private readonly options: LoadMixOptions) {
		this.random = createRandom(options.seed);
	}

	get connected(): number {
		return this.clients.length;
	}

	/** Connects the population and starts the rates; runs until `stop`. */
	start(): void {
		for (let i = 0; i < this.options.clients; i++) this.clients.push(this.newClient());
		const started = performance.now();
		const due = { churn: 0, edits: 0, presence: 0 };
		// Each tick does whatever the rates say is due since the start, so a slow tick is caught up.
		this.timer = setInterval(() => {
			const seconds = (performance.now() - started) / 1000;
			for (; due.churn < Math.floor(seconds * this.options.churnPerSecond); due.churn++) this.replaceOne();
			for (; due.edits < Math.floor(seconds * this.options.editsPerSecond); due.edits++) this.editOne();
			for (; due.presence < Math.floor(seconds * this.options.presencePerSecond); due.presence++) this.movePresence();
		}, TICK_MS);
	}

	/** Stops the rates and disconnects every client. */
	stop(): void {
		clearInterval(this.timer);
		for (const client of this.clients.splice(0)) {
			client.close();
			this.counts.disconnects++;
		}
	}

	private newClient(): SoakClient {
		const { wsBase, token, docs, docsPerDevice, plainShare } = this.options;
		const key = `c${this.nextKey++}`;
		this.counts.connects++;
		const docName = () => `account:soak-${this.random.int(0, docs - 1)}`;
		if (this.random.chance(plainShare)) return new PlainDocClient(wsBase, token, docName(), key);
		const names = new Set<string>();
		while (names.size < Math.min(docsPerDevice, docs)) names.add(docName());
		return new DeviceClient(wsBase, token, [...names], key);
	}

	private replaceOne(): void {
		if (this.clients.length === 0) return;
		const index = this.random.int(0, this.clients.length - 1);
		this.clients[index]!.close();
		this.counts.disconnects++;
		this.clients[index] = this.newClient();
	}

	private editOne(): void {
		const client = this.random.pick(this.clients);
		if (client.edit(this.random.pick(client.docNames), this.counts.edits + 1)) this.counts.edits++;
		else this.counts.skipped++;
	}

	private movePresence(): void {
		const client = this.random.pick(this.clients);
		if (client.setPresence(this.random.pick(client.docNames), this.counts.presence + 1)) this.counts.presence++;
		else this.counts.skipped++;
	}
}
