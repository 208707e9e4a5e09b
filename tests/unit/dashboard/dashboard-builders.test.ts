import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createAccount, createOrder, createVisit, recordConflict, setAttention, setVisitFields, summarizeDocument } from '../../../src/lib/model';
import type { LiveDeviceActivity } from '../../../server/activity/sync-activity';
import { activityRows } from '../../../server/dashboard/activity-rows';
import { DocumentFactsCache, readFacts } from '../../../server/dashboard/document-facts';
import { overseenUsers } from '../../../server/dashboard/manager-dashboard';
import { attentionList, teamOverview } from '../../../server/dashboard/team-overview';
import type { ValidationRule } from '../../../server/policy/validation-rules';
import type { DocumentSummary, UserRecord } from '../../../server/store/document-store';
import { MemoryStore } from '../../../server/store/memory-store';

const DAY = '2026-11-24';
const user = (id: string, role: UserRecord['role'], territories: string[]): UserRecord => ({ id, username: id, displayName: id.toUpperCase(), role, territories, passwordHash: '' });
const ann = user('ann', 'rep', ['north']);
const bob = user('bob', 'rep', ['south']);
const boss = user('boss', 'manager', ['north']);
const root = user('root', 'admin', []);

function docs(): Map<string, Y.Doc> {
	const built = new Map<string, Y.Doc>();
	const add = (name: string, fill: (doc: Y.Doc) => void) => {
		const doc = new Y.Doc();
		fill(doc);
		built.set(name, doc);
	};
	add('account:a1', (d) => createAccount(d, { name: 'Bakery', territory: 'north', priceList: 'standard', warehouse: 'east', phone: '+33 4 00' }));
	add('account:a2', (d) => {
		createAccount(d, { name: 'Cafe', territory: 'north', priceList: 'premium', warehouse: 'east', status: 'on_hold' });
		setAttention(d, 'postal', { field: 'postalCode', message: 'postal code is required', at: DAY });
	});
	add('visit:v1', (d) => createVisit(d, { accountId: 'a1', repId: 'ann', plannedDate: DAY, sequence: 1 }));
	add('visit:v2', (d) => {
		createVisit(d, { accountId: 'a2', repId: 'ann', plannedDate: DAY, sequence: 2 });
		setVisitFields(d, { status: 'completed' });
	});
	add('visit:v3', (d) => {
		createVisit(d, { accountId: 'a2', repId: 'ann', plannedDate: DAY, sequence: 3 });
		setVisitFields(d, { status: 'cancelled' });
	});
	add('order:o1', (d) => {
		createOrder(d, { accountId: 'a1', repId: 'ann', createdAt: `${DAY}T09:00:00.000Z`, warehouse: 'east', priceList: 'standard', status: 'submitted' });
		recordConflict(d, { field: 'poNumber', values: [{ value: 'A', by: 'ann', at: DAY }, { value: 'B', by: 'boss', at: DAY }] });
	});
	add('order:o2', (d) => createOrder(d, { accountId: 'a1', repId: 'ann', createdAt: `${DAY}T10:00:00.000Z`, warehouse: 'east', priceList: 'standard', status: 'partially_confirmed' }));
	return built;
}

function summaries(built: Map<string, Y.Doc>, updatedAt = `${DAY}T12:00:00.000Z`): DocumentSummary[] {
	const accounts = new Map([
		['a1', { territory: 'north', title: 'Bakery' }],
		['a2', { territory: 'north', title: 'Cafe' }]
	]);
	return [...built].map(([name, doc]) => ({ name, ...summarizeDocument(name, doc, (id) => accounts.get(id)), updatedAt }));
}

describe('the team overview', () => {
	it('counts each rep\'s visits done of planned and orders by reconciliation state, and what is flagged', () => {
		const built = docs();
		const all = summaries(built);
		const facts = new Map([...built].map(([name, doc]) => [name, readFacts(name, doc)]));
		const dayDocs = all.filter((d) => d.day === DAY);
		const [annDay, bobDay] = teamOverview([ann, bob], dayDocs, facts);
		expect(annDay).toEqual({
			userId: 'ann',
			displayName: 'ANN',
			territories: ['north'],
			visits: { planned: 2, done: 1, inProgress: 0, skipped: 0 },
			orders: { taken: 2, draft: 0, awaiting: 1, confirmed: 0, partial: 1, rejected: 0, cancelled: 0 },
			flagged: 1
		});
		expect(bobDay!.visits.planned).toBe(0);

		expect(attentionList(all, facts)).toEqual([
			{ name: 'account:a2', kind: 'account', title: 'Cafe', territory: 'north', owner: null, flags: ['postal code is required'], openConflicts: 0 },
			{ name: 'order:o1', kind: 'order', title: 'Bakery · order o1', territory: 'north', owner: 'ann', flags: [], openConflicts: 1 }
		]);
	});

	it('shows a manager the reps sharing a territory, an admin everyone, a rep nothing', () => {
		const everyone = [ann, bob, boss, root];
		expect(overseenUsers(boss, everyone)).toEqual({ reps: [ann], people: [ann] });
		expect(overseenUsers(root, everyone)).toEqual({ reps: [ann, bob], people: everyone });
		expect(overseenUsers(ann, everyone)).toEqual({ reps: [], people: [] });
	});
});

describe('document facts', () => {
	const phoneRule: ValidationRule = { id: 'phone', kind: 'account', field: 'phone', check: 'required', message: 'phone is required' };

	it('reads a document from the store once per version and rule set, and a document in memory live', async () => {
		const built = docs();
		const store = new MemoryStore();
		await store.open();
		const first = summaries(built, `${DAY}T12:00:00.000Z`);
		await store.write({ updates: [...built].map(([docName, doc]) => ({ docName, update: Y.encodeStateAsUpdate(doc) })), summaries: first });
		const live = new Map<string, Y.Doc>();
		let reads = 0;
		const counting = Object.assign(Object.create(store) as MemoryStore, {
			readUpdates: (name: string) => {
				reads++;
				return store.readUpdates(name);
			}
		});
		let rules: readonly ValidationRule[] = [];
		const cache = new DocumentFactsCache(counting, (name) => live.get(name), () => rules);

		// Asleep in the store, a document is flagged by the rules in force (as the relay will flag it when it loads).
		expect((await cache.factsOf(first)).get('account:a2')).toEqual({ status: 'on_hold', priceList: 'premium', flags: [], openConflicts: 0 });
		expect(reads).toBe(built.size);
		await cache.factsOf(first);
		expect(reads).toBe(built.size);
		rules = [phoneRule];
		const flagged = await cache.factsOf(first);
		expect([flagged.get('account:a1')!.flags, flagged.get('account:a2')!.flags]).toEqual([[], ['phone is required']]);
		expect(reads).toBe(2 * built.size);
		rules = [];
		await cache.factsOf(first);
		reads = 0;

		// A newer version is read again; a document the relay holds is read from memory.
		const visit = built.get('visit:v1')!;
		setVisitFields(visit, { status: 'completed' });
		await store.write({ updates: [{ docName: 'visit:v1', update: Y.encodeStateAsUpdate(visit) }], summaries: [] });
		const second = first.map((s) => (s.name === 'visit:v1' ? { ...s, updatedAt: `${DAY}T12:05:00.000Z` } : s));
		expect((await cache.factsOf(second)).get('visit:v1')!.status).toBe('completed');
		expect(reads).toBe(1);
		const inMemory = new Y.Doc();
		Y.applyUpdate(inMemory, Y.encodeStateAsUpdate(visit));
		setVisitFields(inMemory, { status: 'skipped' });
		live.set('visit:v1', inMemory);
		expect((await cache.factsOf(second)).get('visit:v1')!.status).toBe('skipped');
		expect(reads).toBe(1);
	});
});

describe('Sync Activity rows', () => {
	const now = new Date('2026-11-24T12:00:00.000Z');
	const device = (userId: string, deviceId: string, lastSeenAt: string, connected: boolean): LiveDeviceActivity => ({
		userId,
		deviceId,
		firstSeenAt: '2026-11-01T08:00:00.000Z',
		lastConnectedAt: lastSeenAt,
		lastDisconnectedAt: null,
		lastSeenAt,
		report: null,
		connected
	});

	it('marks a device stale when it is not connected and was last seen longer ago than the limit', () => {
		const rows = activityRows({
			users: [ann, bob, boss],
			devices: [
				device('ann', 'phone', '2026-11-24T11:59:00.000Z', true),
				device('ann', 'tablet', '2026-11-23T11:00:00.000Z', false),
				device('bob', 'phone', '2026-11-23T13:00:00.000Z', false),
				// Connected for days without a break is not stale.
				device('boss', 'laptop', '2026-11-20T08:00:00.000Z', true)
			],
			refusals: (userId) => (userId === 'ann' ? { userId, refusedWrites: 2, lastRefusal: { reason: 'price list can only be changed by a manager', doc: 'account:a1', at: DAY } } : undefined),
			flagged: new Map([['ann', 1]]),
			now,
			staleAfterHours: 24
		});
		expect(rows.map((r) => [r.userId, r.deviceId, r.connected, r.stale])).toEqual([
			['ann', 'phone', true, false],
			['ann', 'tablet', false, true],
			['bob', 'phone', false, false],
			['boss', 'laptop', true, false]
		]);
		expect(rows[0]).toMatchObject({ refusedWrites: 2, flagged: 1, lastRefusal: { reason: 'price list can only be changed by a manager' } });
	});

	it('shows a user no device of whom ever synced as one stale row', () => {
		const rows = activityRows({ users: [bob], devices: [], refusals: () => undefined, flagged: new Map(), now, staleAfterHours: 24 });
		expect(rows).toEqual([expect.objectContaining({ userId: 'bob', deviceId: null, lastSyncAt: null, connected: false, stale: true, waiting: null })]);
	});
});
