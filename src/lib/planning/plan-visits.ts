import type * as Y from 'yjs';
import { addMessage, createInbox } from '../model/inbox';
import { readMeta } from '../model/meta';
import { docName } from '../model/names';
import { createVisit, readVisitFields, setVisitFields, type VisitPriority } from '../model/visit';
import type { SyncEngineApi } from '../sync/engine-types';
import { planMessage, type PlanChange } from '../ui/plan-messages';

/** The engine's sync status is optional: without it, messages go out at once. */
type Engine = Pick<SyncEngineApi, 'open' | 'release' | 'create'> & Partial<Pick<SyncEngineApi, 'status' | 'onStatus' | 'pending'>>;

/** How long a new visit may take to reach the server before its message goes out anyway. */
const DURABLE_WAIT_MS = 10_000;

/**
 * Waits (online, up to a bound) until the server has stored a new document. A rep
 * whose device hears of a visit fetches the list of records at once, and the
 * visit must already be in it; offline, both go out together at the next sync.
 */
async function whenOnServer(engine: Engine, name: string): Promise<void> {
	const { onStatus, pending } = engine;
	if (!onStatus || !pending || engine.status?.connection !== 'online') return;
	const stored = () => !pending.call(engine).some((doc) => doc.name === name);
	if (stored()) return;
	await new Promise<void>((resolve) => {
		let unsubscribe = (): void => {};
		const timer = setTimeout(finish, DURABLE_WAIT_MS);
		function finish(): void {
			clearTimeout(timer);
			queueMicrotask(() => unsubscribe());
			resolve();
		}
		unsubscribe = onStatus.call(engine, (status) => {
			if (stored() || status.connection !== 'online') finish();
		});
	});
}

/** Who is planning, as the rep will read it in the message. */
export interface Planner {
	displayName: string;
}

export interface NewVisit {
	accountId: string;
	accountTitle: string;
	repId: string;
	day: string;
	sequence: number;
	appointmentAt: string | null;
	priority: VisitPriority;
}

/**
 * Tells a rep about a change to their plan, in their inbox. The inbox syncs like any
 * document, so the rep sees it (and the visit) at their next sync, even if the
 * manager's device is offline now.
 */
export async function notifyRep(engine: Engine, repId: string, change: PlanChange, at: Date = new Date()): Promise<void> {
	const name = docName('inbox', repId);
	const inbox = await engine.open(name);
	try {
		inbox.transact(() => {
			// An inbox the device has not received yet is created; the meta writes merge with the server's copy.
			if (readMeta(inbox) === undefined) createInbox(inbox);
			addMessage(inbox, { ...planMessage(change), at: at.toISOString() });
		});
	} finally {
		engine.release(name);
	}
}

/** Creates a visit for a rep and tells them. Returns the visit's document name. */
export async function planVisit(engine: Engine, planner: Planner, visit: NewVisit): Promise<string> {
	const name = await engine.create('visit', (doc) =>
		createVisit(doc, {
			accountId: visit.accountId,
			repId: visit.repId,
			plannedDate: visit.day,
			sequence: visit.sequence,
			...(visit.appointmentAt ? { appointmentAt: visit.appointmentAt } : {}),
			...(visit.priority === 'high' ? { priority: 'high' } : {})
		})
	);
	await whenOnServer(engine, name);
	await notifyRep(engine, visit.repId, {
		kind: 'visit_planned',
		accountTitle: visit.accountTitle,
		day: visit.day,
		appointmentAt: visit.appointmentAt,
		by: planner.displayName
	});
	return name;
}

export interface VisitChange {
	/** The visit's document name. */
	name: string;
	accountTitle: string;
	day?: string;
	/** The place in the new day's route; required with `day` or `repId`. */
	sequence?: number;
	repId?: string;
	appointmentAt?: string | null;
	priority?: VisitPriority;
}

async function withVisit<T>(engine: Engine, name: string, use: (doc: Y.Doc) => T): Promise<T> {
	const doc = await engine.open(name);
	try {
		return use(doc);
	} finally {
		engine.release(name);
	}
}

/**
 * Reschedules and/or reassigns a visit, and tells each rep concerned: the new one
 * that it is theirs, the old one that it left their plan.
 */
export async function changeVisit(engine: Engine, planner: Planner, change: VisitChange): Promise<void> {
	const before = await withVisit(engine, change.name, (doc) => {
		const fields = readVisitFields(doc);
		setVisitFields(doc, {
			...(change.day !== undefined ? { plannedDate: change.day } : {}),
			...(change.sequence !== undefined ? { sequence: change.sequence } : {}),
			...(change.repId !== undefined ? { repId: change.repId } : {}),
			...(change.appointmentAt !== undefined ? { appointmentAt: change.appointmentAt } : {}),
			...(change.priority !== undefined ? { priority: change.priority } : {}),
			// A planned arrival belonged to the old day's (or rep's) route; the rep's device plans the new one.
			...((change.day !== undefined && change.day !== fields.plannedDate) || (change.repId !== undefined && change.repId !== fields.repId)
				? { plannedAt: null }
				: {})
		});
		return fields;
	});
	const day = change.day ?? before.plannedDate;
	const repId = change.repId ?? before.repId;
	const appointmentAt = change.appointmentAt !== undefined ? change.appointmentAt : before.appointmentAt;
	const by = planner.displayName;
	if (repId !== before.repId) {
		await notifyRep(engine, repId, { kind: 'visit_reassigned', accountTitle: change.accountTitle, day, appointmentAt, by });
		if (before.repId !== '') await notifyRep(engine, before.repId, { kind: 'visit_removed', accountTitle: change.accountTitle, day: before.plannedDate, by });
	} else if (day !== before.plannedDate || appointmentAt !== before.appointmentAt) {
		await notifyRep(engine, repId, { kind: 'visit_rescheduled', accountTitle: change.accountTitle, day, previousDay: before.plannedDate, appointmentAt, by });
	}
}

/** Takes a visit off the plan (status cancelled, which keeps its history) and tells the rep. */
export async function cancelVisit(engine: Engine, planner: Planner, name: string, accountTitle: string): Promise<void> {
	const before = await withVisit(engine, name, (doc) => {
		const fields = readVisitFields(doc);
		if (fields.status === 'planned') setVisitFields(doc, { status: 'cancelled' });
		return fields;
	});
	if (before.status === 'planned' && before.repId !== '') {
		await notifyRep(engine, before.repId, { kind: 'visit_removed', accountTitle, day: before.plannedDate, by: planner.displayName });
	}
}
