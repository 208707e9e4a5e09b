import type { DocAccess } from '../auth/permissions';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type { UserRecord } from '../store/document-store';
import type { DocumentRegistry } from './document-registry';

/** What a connection needs from the relay around it. */
export interface ConnectionContext {
	log: Logger;
	metrics: RelayMetrics;
	registry: DocumentRegistry;
	rate: { perSecond: number; burst: number };
	pingIntervalMs: number;
	maxDocumentsPerConnection: number;
	resolveAccess(user: UserRecord, docName: string): Promise<DocAccess>;
}
