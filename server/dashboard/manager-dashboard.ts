import type { DashboardResponse } from '../../src/lib/protocol/office-api';
import type { SyncActivity } from '../activity/sync-activity';
import type { DocumentStore, SummaryFilter, UserRecord } from '../store/document-store';
import { activityRows } from './activity-rows';
import type { DocumentFactsCache } from './document-facts';
import { attentionList, teamOverview } from './team-overview';

export interface ManagerDashboardDeps {
	store: DocumentStore;
	facts: DocumentFactsCache;
	activity: SyncActivity;
	staleAfterHours: number;
	now?: () => Date;
}

/** Whom a viewer oversees: a manager the reps sharing a territory, an admin everyone. */
export function overseenUsers(viewer: UserRecord, users: readonly UserRecord[]): { reps: UserRecord[]; people: UserRecord[] } {
	if (viewer.role === 'admin') return { reps: users.filter((u) => u.role === 'rep'), people: [...users] };
	if (viewer.role !== 'manager') return { reps: [], people: [] };
	const reps = users.filter((u) => u.role === 'rep' && u.territories.some((t) => viewer.territories.includes(t)));
	return { reps, people: reps };
}

/**
 * GET /api/dashboard: the team's day, what needs attention, and Sync Activity,
 * built from the summary rows (what exists, whose, which day) and the facts
 * inside the documents (status, flags, conflicts; cached per version).
 */
export class ManagerDashboard {
	constructor(private readonly deps: ManagerDashboardDeps) {}

	async build(viewer: UserRecord, day: string): Promise<DashboardResponse> {
		const { store, facts, activity } = this.deps;
		const now = this.deps.now?.() ?? new Date();
		const { reps, people } = overseenUsers(viewer, await store.listUsers());
		// Devices connected to other instances sharing the store are known from there.
		await activity.refreshFromStore();
		const scope: SummaryFilter = viewer.role === 'admin' ? {} : { territories: viewer.territories };
		const repIds = new Set(reps.map((r) => r.id));

		const visitsAndOrders = await store.listSummaries({ ...scope, kinds: ['visit', 'order'] });
		const dayDocs = visitsAndOrders.filter((d) => d.day === day && d.owner !== null && repIds.has(d.owner));
		const accounts = await store.listSummaries({ ...scope, kinds: ['account'] });
		const known = await facts.factsOf([...accounts, ...dayDocs]);

		const team = teamOverview(reps, dayDocs, known);
		const flagged = new Map(team.map((r) => [r.userId, r.flagged]));
		return {
			day,
			generatedAt: now.toISOString(),
			staleAfterHours: this.deps.staleAfterHours,
			team,
			attention: attentionList([...accounts, ...dayDocs], known),
			activity: activityRows({
				users: people,
				devices: activity.listDevices(),
				refusals: (userId) => activity.refusalsOf(userId),
				flagged,
				now,
				staleAfterHours: this.deps.staleAfterHours
			})
		};
	}
}
