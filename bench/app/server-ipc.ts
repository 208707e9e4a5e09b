/** Messages between the app benchmark and its server child (over the fork IPC channel). */

export type ServerRequest = { id: number; type: 'stats' } | { id: number; type: 'shutdown' };

export type ServerMessage =
	| { type: 'ready'; port: number; pid: number }
	| { type: 'stats'; id: number; stats: ServerStats }
	| { type: 'closed'; id: number; ms: number }
	| { type: 'error'; id?: number; message: string };

export interface ServerStats {
	/** HTTP requests since start, by first path segment ("api", "_app", "/" for pages...). */
	requests: Record<string, number>;
	/** Websocket upgrade requests since start. */
	upgrades: number;
	rssBytes: number;
	cpuUserMicros: number;
	cpuSystemMicros: number;
}
