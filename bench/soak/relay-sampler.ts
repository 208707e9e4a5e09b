/**
 * What the soak run watches in the relay: documents in memory, connections and
 * resident memory as its Prometheus endpoint reports them, and the live heap as
 * the relay process reports it right after a full garbage collection (so a
 * leak is not confused with garbage V8 has not collected yet).
 */
import type { RelayHost } from '../relay/relay-host';

export type SoakPhase = 'baseline' | 'load' | 'drain';

export interface SoakSample {
	/** Seconds since the run started. */
	t: number;
	phase: SoakPhase;
	clientsConnected: number;
	/** `outrider_documents_in_memory` */
	documentsInMemory: number;
	/** `outrider_connections`, both endpoints. */
	relayConnections: number;
	/** `process_resident_memory_bytes`, MB. */
	rssMb: number;
	/** Live heap after a full GC, MB. */
	heapUsedMb: number;
	/** What V8 holds for its heap (`nodejs_heap_size_total_bytes`), MB: RSS beyond this and `external` is native memory. */
	heapTotalMb: number;
	/** Memory outside the JS heap that V8 knows of (buffers, zlib, SQLite's is not counted), MB. */
	externalMb: number;
	edits: number;
}

const MB = 1024 * 1024;

/** The value of an unlabelled metric, or the sum over its labels (0 before any label was used). */
export function metricValue(text: string, name: string): number {
	if (!text.includes(`# TYPE ${name} `)) throw new Error(`the relay's /metrics has no ${name}`);
	let sum = 0;
	for (const line of text.split('\n')) {
		if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
	}
	return sum;
}

export async function sampleRelay(
	relay: RelayHost,
	baseUrl: string,
	at: { t: number; phase: SoakPhase; clientsConnected: number; edits: number }
): Promise<SoakSample> {
	const stats = await relay.stats({ collectGarbage: true });
	const response = await fetch(`${baseUrl}/metrics`);
	if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
	const text = await response.text();
	return {
		...at,
		t: Math.round(at.t),
		documentsInMemory: metricValue(text, 'outrider_documents_in_memory'),
		relayConnections: metricValue(text, 'outrider_connections'),
		rssMb: Math.round(metricValue(text, 'process_resident_memory_bytes') / MB),
		heapUsedMb: Math.round(stats.heapUsedBytes / MB),
		heapTotalMb: Math.round(metricValue(text, 'nodejs_heap_size_total_bytes') / MB),
		externalMb: Math.round(stats.externalBytes / MB)
	};
}
