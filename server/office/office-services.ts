import { SyncActivity } from '../activity/sync-activity';
import type { TokenService } from '../auth/tokens';
import type { RelayConfig } from '../config';
import { DocumentFactsCache } from '../dashboard/document-facts';
import { ManagerDashboard } from '../dashboard/manager-dashboard';
import type { ApiRoutes } from '../http/api';
import { createOfficeApi } from '../http/office-api';
import type { Logger } from '../log';
import { ChangeAnnouncer } from '../notifications/change-announcer';
import type { ValidationRule } from '../policy/validation-rules';
import type { Relay, RelayDeps } from '../relay/relay';
import type { DocumentStore } from '../store/document-store';

/** What the relay is given so the office sees activity and office changes reach reps. */
export type OfficeRelayHooks = Required<Pick<RelayDeps, 'onDocumentLoaded' | 'onWriteRefused' | 'onSyncConnection'>>;

export interface OfficeServices {
	relayHooks: OfficeRelayHooks;
	/** Connects to the relay once it exists; returns the HTTP endpoints. */
	attach(relay: Relay, tokens: TokenService): ApiRoutes;
	/** Before the relay closes: announcements under way reach the inboxes. */
	settle(): Promise<void>;
	/** After the relay closed: the last activity is stored. */
	close(): Promise<void>;
}

/**
 * Notifications, Sync Activity and the manager's dashboard, wired together: the
 * relay reports loads, refusals and `/sync` sockets here; documents' facts are
 * read live from the relay's memory or from the store.
 */
export async function startOfficeServices(options: {
	config: RelayConfig;
	store: DocumentStore;
	log: Logger;
	/** The validation rules in force, for documents the dashboard reads from the store. */
	rules: () => readonly ValidationRule[];
}): Promise<OfficeServices> {
	const { config, store, log } = options;
	const activity = await SyncActivity.load({ store, log });
	let relay: Relay | undefined;
	const facts = new DocumentFactsCache(store, (name) => relay?.registry.peek(name)?.doc, options.rules);
	const announcer = new ChangeAnnouncer({
		store,
		facts,
		log,
		notify: async (userId, message, notifyOptions) => relay?.notify(userId, message, notifyOptions)
	});
	return {
		relayHooks: {
			onDocumentLoaded: (name, doc) => announcer.watch(name, doc),
			onWriteRefused: (user, docName, reasons) => activity.noteRefusals(user.id, docName, reasons),
			onSyncConnection: (ws, user, deviceId) => activity.trackConnection(ws, user.id, deviceId)
		},
		attach(createdRelay, tokens) {
			relay = createdRelay;
			return createOfficeApi({
				store,
				tokens,
				log,
				notify: (userId, message, notifyOptions) => createdRelay.notify(userId, message, notifyOptions),
				persisted: () => createdRelay.persistence.flush(),
				dashboard: new ManagerDashboard({ store, facts, activity, staleAfterHours: config.staleDeviceHours }),
				activity
			});
		},
		settle: () => announcer.settled(),
		close: () => activity.close()
	};
}
