import type { MetricObjectWithValues, MetricValueWithName } from 'prom-client';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type { DocumentFanout } from '../fanout/document-fanout';
import type { DocumentStore } from '../store/document-store';

/** GET /api/admin/status: the relay's figures for people who do not read Prometheus. */
export interface AdminStatus {
	startedAt: string;
	uptimeSeconds: number;
	connections: { doc: number; sync: number };
	documentsInMemory: number;
	/** Running totals; the admin page turns two readings into a rate. */
	updates: { received: number; sent: number; persisted: number };
	persistence: {
		commits: number;
		failures: number;
		meanSeconds: number | null;
		/** Over the last 10 minutes; null before the first commit in that window. */
		p50Seconds: number | null;
		p99Seconds: number | null;
	};
	/** Updates per group commit: how many commits wrote at most `le` updates (and more than the bucket before). */
	batches: { count: number; meanUpdates: number | null; buckets: Array<{ le: number; count: number }> };
	refused: Record<string, number>;
	ordersReconciled: Record<string, number>;
	store: { backend: string; ready: boolean; sizeBytes: number | null };
	/** How this instance hears the others: through Redis, or not at all (a relay alone). */
	fanout: { backend: string; connected: boolean };
	config: Record<string, unknown>;
}

export interface AdminStatusSources {
	metrics: RelayMetrics;
	store: DocumentStore;
	fanout: DocumentFanout;
	startedAt: Date;
	/** The effective configuration, secrets already masked. */
	config: Record<string, unknown>;
}

/** Histograms and summaries name their series (`_bucket`, `_sum`, `_count`); counters and gauges do not. */
type Values = MetricValueWithName<string>[];

async function valuesOf(metric: { get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> }): Promise<Values> {
	return (await metric.get()).values;
}

function sum(values: Values, match: (value: MetricValueWithName<string>) => boolean = () => true): number {
	return values.filter(match).reduce((total, value) => total + value.value, 0);
}

function byLabel(values: Values, label: string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const value of values) {
		const key = value.labels[label];
		if (key !== undefined) counts[String(key)] = (counts[String(key)] ?? 0) + value.value;
	}
	return counts;
}

/** A quantile of a prom-client summary, or null while its window holds no observation (it reports 0 then). */
function quantile(values: Values, q: number): number | null {
	if (sum(values, (v) => v.metricName?.endsWith('_count') === true) === 0) return null;
	const found = values.find((value) => value.labels.quantile === q);
	return found && Number.isFinite(found.value) ? found.value : null;
}

const BACKEND_NAMES: Record<string, string> = { SqliteStore: 'SQLite', PostgresStore: 'PostgreSQL', MemoryStore: 'memory' };
const FANOUT_NAMES: Record<string, string> = { RedisFanout: 'Redis', InProcessFanout: 'in-process' };

export async function readAdminStatus({ metrics, store, fanout, startedAt, config }: AdminStatusSources): Promise<AdminStatus> {
	const [connections, documents, received, sent, persisted, commits, recent, failures, batches, refused, reconciled, size] = await Promise.all([
		valuesOf(metrics.connections),
		valuesOf(metrics.documentsInMemory),
		valuesOf(metrics.updatesReceived),
		valuesOf(metrics.updatesSent),
		valuesOf(metrics.updatesPersisted),
		valuesOf(metrics.commitSeconds),
		valuesOf(metrics.commitRecentSeconds),
		valuesOf(metrics.storeFailures),
		valuesOf(metrics.batchUpdates),
		valuesOf(metrics.refused),
		valuesOf(metrics.ordersReconciled),
		valuesOf(metrics.storeSizeBytes)
	]);
	const commitCount = sum(commits, (v) => v.metricName?.endsWith('_count') === true);
	const commitSum = sum(commits, (v) => v.metricName?.endsWith('_sum') === true);
	const batchCount = sum(batches, (v) => v.metricName?.endsWith('_count') === true);
	const batchSum = sum(batches, (v) => v.metricName?.endsWith('_sum') === true);
	// prom-client's buckets are cumulative; the page shows each bucket's own share.
	const cumulative = batches
		.filter((v) => v.metricName?.endsWith('_bucket') === true && v.labels.le !== '+Inf')
		.map((v) => ({ le: Number(v.labels.le), count: v.value }))
		.sort((a, b) => a.le - b.le);
	const buckets = cumulative.map((bucket, i) => ({ le: bucket.le, count: bucket.count - (cumulative[i - 1]?.count ?? 0) }));
	const now = Date.now();
	return {
		startedAt: startedAt.toISOString(),
		uptimeSeconds: Math.round((now - startedAt.getTime()) / 1000),
		connections: { doc: sum(connections, (v) => v.labels.endpoint === 'doc'), sync: sum(connections, (v) => v.labels.endpoint === 'sync') },
		documentsInMemory: sum(documents),
		updates: { received: sum(received), sent: sum(sent), persisted: sum(persisted) },
		persistence: {
			commits: commitCount,
			failures: sum(failures),
			meanSeconds: commitCount > 0 ? commitSum / commitCount : null,
			p50Seconds: quantile(recent, 0.5),
			p99Seconds: quantile(recent, 0.99)
		},
		batches: { count: batchCount, meanUpdates: batchCount > 0 ? batchSum / batchCount : null, buckets },
		refused: byLabel(refused, 'reason'),
		ordersReconciled: byLabel(reconciled, 'result'),
		store: { backend: BACKEND_NAMES[store.constructor.name] ?? store.constructor.name, ready: await store.isReady(), sizeBytes: size.length > 0 ? sum(size) : null },
		fanout: { backend: FANOUT_NAMES[fanout.constructor.name] ?? fanout.constructor.name, connected: fanout.connected },
		config
	};
}
