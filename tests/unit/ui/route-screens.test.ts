import { describe, expect, it } from 'vitest';
import type { AccountFields, InboxMessage, VisitFields } from '../../../src/lib/model';
import { checkGeofence } from '../../../src/lib/routes/geofence';
import {
	filterAccounts,
	filterParams,
	isDue,
	readAccountFilter,
	territoriesOf,
	visitHistory
} from '../../../src/lib/ui/account-filters';
import { checkInFields, describeGeofence } from '../../../src/lib/ui/check-in';
import { accountNamesOf, buildDayVisits, routeLinePoints, routeMarkers, toDayRecord, toDayStop, visitNamesOn } from '../../../src/lib/ui/day-route';
import { planMessage, unreadPlanMessages } from '../../../src/lib/ui/plan-messages';
import { addDays, appointmentAt, dayParams, groupByRep, nextSequence, nextSequenceOnDay, visitCounts, weekOf } from '../../../src/lib/ui/team-plan';
import { deviceEntry } from '../../helpers/ui-fixtures';

const entry = deviceEntry;

function visitFields(overrides: Partial<VisitFields> = {}): VisitFields {
	return {
		accountId: 'a1',
		repId: 'u-rep',
		plannedDate: '2026-11-24',
		sequence: 1,
		status: 'planned',
		checkInAt: null,
		checkInLat: null,
		checkInLng: null,
		checkOutAt: null,
		outcome: null,
		appointmentAt: null,
		priority: 'normal',
		plannedAt: null,
		checkInDistanceM: null,
		checkInReason: null,
		checkInStoreLat: null,
		checkInStoreLng: null,
		...overrides
	};
}

function accountFields(overrides: Partial<AccountFields> = {}): AccountFields {
	return {
		name: 'Boulangerie',
		address: '',
		city: 'Lyon',
		postalCode: '',
		phone: '',
		email: '',
		lat: 45.77,
		lng: 4.83,
		territory: 'north',
		status: 'active',
		priceList: 'standard',
		warehouse: 'east',
		creditLimit: 0,
		...overrides
	};
}

const TODAY = '2026-11-24';

describe('account filters shared by the list and the map', () => {
	it('round-trips through the URL, ignoring what it does not know', () => {
		const filter = readAccountFilter(new URLSearchParams('territory=north&status=on_hold&due=1&x=y'));
		expect(filter).toEqual({ territory: 'north', status: 'on_hold', due: true });
		expect(filterParams(filter, { view: 'accounts' })).toBe('view=accounts&territory=north&status=on_hold&due=1');
		expect(readAccountFilter(new URLSearchParams('status=bogus'))).toEqual({ territory: null, status: null, due: false });
		expect(filterParams({ territory: null, status: null, due: false })).toBe('');
	});

	it('knows when each account was last visited and is next planned', () => {
		const history = visitHistory(
			[
				entry('visit:1', { accountId: 'a1', day: '2026-10-01', status: 'completed' }),
				entry('visit:2', { accountId: 'a1', day: '2026-11-20', status: 'completed' }),
				entry('visit:3', { accountId: 'a1', day: '2026-11-28', status: 'planned' }),
				entry('visit:4', { accountId: 'a2', day: '2026-11-10', status: 'skipped' }),
				entry('visit:5', { accountId: 'a2', day: '2026-11-01', status: 'planned' })
			],
			TODAY
		);
		expect(history.get('a1')).toEqual({ lastVisit: '2026-11-20', nextVisit: '2026-11-28' });
		expect(history.get('a2')).toEqual({ lastVisit: null, nextVisit: null });
	});

	it('calls an account due when nobody went for four weeks and nothing is planned; never an archived one', () => {
		expect(isDue('active', { lastVisit: '2026-10-20', nextVisit: null }, TODAY)).toBe(true);
		expect(isDue('active', { lastVisit: '2026-11-10', nextVisit: null }, TODAY)).toBe(false);
		expect(isDue('active', { lastVisit: '2026-10-20', nextVisit: '2026-11-30' }, TODAY)).toBe(false);
		expect(isDue('active', undefined, TODAY)).toBe(true);
		expect(isDue('archived', undefined, TODAY)).toBe(false);
	});

	it('filters by territory, status and due, together', () => {
		const accounts = [
			entry('account:a1', { territory: 'north', status: 'active' }),
			entry('account:a2', { territory: 'north', status: 'on_hold' }),
			entry('account:a3', { territory: 'south', status: 'active' })
		];
		const history = visitHistory([entry('visit:1', { accountId: 'a1', day: '2026-11-20', status: 'completed' })], TODAY);
		const names = (filter: Parameters<typeof filterAccounts>[1]) => filterAccounts(accounts, filter, history, TODAY).map((a) => a.name);
		expect(names({ territory: 'north', status: null, due: false })).toEqual(['account:a1', 'account:a2']);
		expect(names({ territory: null, status: 'active', due: false })).toEqual(['account:a1', 'account:a3']);
		expect(names({ territory: 'north', status: null, due: true })).toEqual(['account:a2']);
		expect(territoriesOf(accounts)).toEqual(['north', 'south']);
	});
});

describe("a rep's day from its documents", () => {
	const visits = new Map<string, VisitFields>([
		['visit:b', visitFields({ accountId: 'a2', sequence: 2, status: 'completed', checkInAt: '2026-11-24T09:00:00.000Z', checkInLat: 45.781, checkInLng: 4.84 })],
		['visit:a', visitFields({ accountId: 'a1', sequence: 1 })],
		['visit:other-rep', visitFields({ repId: 'u-other' })],
		['visit:moved', visitFields({ plannedDate: '2026-11-25' })],
		['visit:c', visitFields({ accountId: 'a3', sequence: 3, status: 'skipped' })]
	]);
	const accounts = new Map<string, AccountFields>([
		['account:a1', accountFields({ name: 'Boulangerie', lat: 45.77, lng: 4.83 })],
		['account:a2', accountFields({ name: 'Café', lat: 45.78, lng: 4.84 })],
		['account:a3', accountFields({ name: 'Tabac', lat: null, lng: null })]
	]);
	const day = buildDayVisits(TODAY, visits, accounts, 'u-rep', new Map());

	it("keeps the rep's visits of that day, in route order, with their stores", () => {
		expect(day.map((v) => [v.name, v.title, v.position])).toEqual([
			['visit:a', 'Boulangerie', { lat: 45.77, lng: 4.83 }],
			['visit:b', 'Café', { lat: 45.78, lng: 4.84 }],
			['visit:c', 'Tabac', null]
		]);
		expect(buildDayVisits(TODAY, visits, accounts, null, new Map())).toHaveLength(4);
		expect(visitNamesOn([entry('visit:x', { day: TODAY }), entry('visit:y', { day: '2026-11-25' })], TODAY)).toEqual(['visit:x']);
		expect(accountNamesOf(visits.values())).toEqual(['account:a1', 'account:a2', 'account:a3']);
	});

	it('numbers the map markers in route order and draws the line from the rep through the stores still on the route', () => {
		expect(routeMarkers(day).map((m) => [m.label, m.title])).toEqual([
			['1', 'Boulangerie'],
			['2', 'Café']
		]);
		expect(routeLinePoints(day, { lat: 45.76, lng: 4.82 })).toEqual([
			{ lat: 45.76, lng: 4.82 },
			{ lat: 45.77, lng: 4.83 },
			{ lat: 45.78, lng: 4.84 }
		]);
	});

	it('feeds the planner and plan vs actual', () => {
		expect(toDayStop(day[1]!)).toMatchObject({ name: 'visit:b', status: 'completed', checkIn: { lat: 45.781, lng: 4.84 } });
		expect(toDayRecord(day[1]!)).toMatchObject({ title: 'Café', store: { lat: 45.78, lng: 4.84 }, checkInAt: '2026-11-24T09:00:00.000Z' });
		const recorded = { ...day[1]!, fields: { ...day[1]!.fields, checkInStoreLat: 45.7, checkInStoreLng: 4.8 } };
		expect(toDayRecord(recorded).store).toEqual({ lat: 45.7, lng: 4.8 });
	});
});

describe('check-in fields', () => {
	const store = { lat: 45.77, lng: 4.83 };
	const at = '2026-11-24T09:00:00.000Z';

	it('records both positions and the distance inside the fence, with no reason', () => {
		const position = { lat: 45.7701, lng: 4.83 };
		const result = checkGeofence(position, store);
		expect(checkInFields({ at, position, store, result, reason: 'ignored' })).toEqual({
			status: 'checked_in',
			checkInAt: at,
			checkInLat: 45.7701,
			checkInLng: 4.83,
			checkInStoreLat: 45.77,
			checkInStoreLng: 4.83,
			checkInDistanceM: 11,
			checkInReason: null
		});
		expect(describeGeofence(result, 200)).toBe('You are at the store (11 m away).');
	});

	it('keeps the reason outside the fence or with no position', () => {
		const far = { lat: 45.78, lng: 4.83 };
		const result = checkGeofence(far, store);
		expect(checkInFields({ at, position: far, store, result, reason: '  Met at the market ' })).toMatchObject({
			checkInDistanceM: 1112,
			checkInReason: 'Met at the market'
		});
		expect(describeGeofence(result, 200)).toBe('You are 1.1 km from the store; check-in is expected within 200 m.');
		const none = checkGeofence(null, store);
		expect(checkInFields({ at, position: null, store, result: none, reason: 'GPS is inaccurate here' })).toMatchObject({
			checkInLat: null,
			checkInDistanceM: null,
			checkInReason: 'GPS is inaccurate here'
		});
	});
});

describe('planning messages and the team calendar', () => {
	it('tells the rep what changed, by whom, and when', () => {
		const planned = planMessage({ kind: 'visit_planned', accountTitle: 'Café', day: TODAY, appointmentAt: null, by: 'Manager' });
		expect(planned).toEqual({ kind: 'visit_planned', title: 'New visit: Café', body: 'Manager planned a visit to Café on 24 Nov 2026.' });
		expect(planMessage({ kind: 'visit_rescheduled', accountTitle: 'Café', day: '2026-11-25', previousDay: TODAY, by: 'Manager' }).body).toBe(
			'Manager moved your visit to Café from 24 Nov 2026 to 25 Nov 2026.'
		);
		expect(planMessage({ kind: 'visit_removed', accountTitle: 'Café', day: TODAY, by: 'Manager' }).title).toBe('Visit taken off your plan: Café');
	});

	it('lists unread planning messages newest first, and nothing else', () => {
		const message = (id: string, kind: string, at: string, readAt: string | null = null): InboxMessage => ({ id, kind, title: id, body: '', at, readAt });
		const unread = unreadPlanMessages([
			message('welcome', 'welcome', '2026-11-24T06:00:00.000Z'),
			message('old', 'visit_planned', '2026-11-24T07:00:00.000Z'),
			message('read', 'visit_planned', '2026-11-24T07:30:00.000Z', '2026-11-24T07:31:00.000Z'),
			message('new', 'visit_rescheduled', '2026-11-24T08:00:00.000Z')
		]);
		expect(unread.map((m) => m.id)).toEqual(['new', 'old']);
	});

	it('walks weeks Monday to Sunday and days across months', () => {
		expect(weekOf('2026-11-26')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
		expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(dayParams('2026-11-24', 'u-rep', 'u-manager')).toBe('date=2026-11-24&rep=u-rep');
		expect(dayParams('2026-11-24', 'u-rep', 'u-rep')).toBe('date=2026-11-24');
	});

	it('puts a new visit at the end of the route and reads appointment times as local wall-clock', () => {
		expect(nextSequence([visitFields({ sequence: 3 }), visitFields({ sequence: 5, repId: 'u-other' })], 'u-rep', TODAY)).toBe(4);
		expect(nextSequenceOnDay([entry('visit:a', { day: TODAY, sequence: 4 }), entry('visit:b', { day: '2026-11-25', sequence: 9 })], TODAY)).toBe(5);
		expect(appointmentAt(TODAY, '10:30')).toBe(new Date(2026, 10, 24, 10, 30).toISOString());
		expect(appointmentAt(TODAY, '25:00')).toBeNull();
		expect(appointmentAt(TODAY, '')).toBeNull();
	});

	it('groups a day by rep in route order and counts visits per day', () => {
		const groups = groupByRep([
			{ fields: visitFields({ repId: 'b', sequence: 2 }) },
			{ fields: visitFields({ repId: 'a', sequence: 1 }) },
			{ fields: visitFields({ repId: 'b', sequence: 1 }) }
		]);
		expect([...groups.keys()]).toEqual(['b', 'a']);
		expect(groups.get('b')!.map((v) => v.fields.sequence)).toEqual([1, 2]);
		const counts = visitCounts(
			[entry('visit:a', { day: TODAY, status: 'planned' }), entry('visit:b', { day: TODAY, status: 'cancelled' }), entry('visit:c', { day: '2026-11-25' })],
			[TODAY, '2026-11-25', '2026-11-26']
		);
		expect([...counts]).toEqual([
			[TODAY, 1],
			['2026-11-25', 1],
			['2026-11-26', 0]
		]);
	});
});
