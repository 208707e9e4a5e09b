/** Messages between the benchmark and a benchmarked server's child process (over the fork IPC channel, or stdin/stdout lines). */

export type RelayRequest =
	/** `collectGarbage`: a full GC first, when the child runs with --expose-gc (live memory, not garbage). */
	| { id: number; type: 'stats'; resetLoopDelay?: boolean; collectGarbage?: boolean }
	| { id: number; type: 'shutdown' };

export type RelayMessage =
	| { type: 'ready'; port: number; token: string; pid: number }
	| { type: 'stats'; id: number; stats: RelayStats }
	| { type: 'closed'; id: number; ms: number }
	| { type: 'error'; id?: number; message: string };

export interface RelayStats {
	rssBytes: number;
	heapUsedBytes: number;
	externalBytes: number;
	/** process.cpuUsage(), microseconds since the relay process started. */
	cpuUserMicros: number;
	cpuSystemMicros: number;
	connections: number;
	documentsInMemory: number;
	/** Event-loop delay since the last reset, in ms: how long ready work waited for the loop. */
	loopDelay: { p50: number; p99: number; max: number };
	/** Group commits the persistence queue made through store.write, since start (zeros where the child cannot observe its store). */
	commits: CommitStats;
}

export interface CommitStats {
	count: number;
	updates: number;
	documents: number;
	totalMs: number;
	maxMs: number;
}
