import type { DocumentFanout } from './document-fanout';
import { InProcessFanout } from './in-process-fanout';
import { RedisFanout } from './redis-fanout';

export interface FanoutConfig {
	/** A Redis URL makes instances behind one address share documents. */
	redisUrl?: string;
	redisKeyPrefix: string;
}

/** The one place that picks how instances hear each other; everything else sees only DocumentFanout. */
export function createFanout(config: FanoutConfig, onError: (error: unknown) => void): DocumentFanout {
	if (config.redisUrl) return new RedisFanout({ url: config.redisUrl, keyPrefix: config.redisKeyPrefix, onError });
	return new InProcessFanout();
}
