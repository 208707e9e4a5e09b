import * as Y from 'yjs';
import { initMeta } from './meta';
import { findRecord, indexOfRecord, recordMap, recordMaps, replaceText, setChanged } from './records';
import { asBoolean, asNullableNumber, asNullableString, asNumber, asOneOf, asString, assertInteger, newId } from './values';

export const VISIT_STATUSES = ['planned', 'checked_in', 'completed', 'skipped', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** A high-priority visit is worth some extra travel to reach earlier in the day. */
export const VISIT_PRIORITIES = ['normal', 'high'] as const;
export type VisitPriority = (typeof VISIT_PRIORITIES)[number];

export interface VisitFields {
	accountId: string;
	repId: string;
	/** YYYY-MM-DD. */
	plannedDate: string;
	/** Position in the rep's route for that day, from 1. */
	sequence: number;
	status: VisitStatus;
	checkInAt: string | null;
	checkInLat: number | null;
	checkInLng: number | null;
	checkOutAt: string | null;
	outcome: string | null;
	/** A fixed-time appointment (ISO UTC): the route must reach the store by then. Optional in v1. */
	appointmentAt: string | null;
	priority: VisitPriority;
	/** Planned arrival (ISO UTC), written with the route order; what plan vs actual compares against. */
	plannedAt: string | null;
	/** Metres between the device and the store at check-in, when both were known. */
	checkInDistanceM: number | null;
	/** Why the rep checked in outside the geofence (or with no position). */
	checkInReason: string | null;
	/** Where the device believed the store was at check-in, so later moves of the account do not rewrite history. */
	checkInStoreLat: number | null;
	checkInStoreLng: number | null;
}

export interface VisitTask {
	id: string;
	title: string;
	done: boolean;
}

export type VisitTaskInit = { id?: string; title: string; done?: boolean };

export interface Visit extends VisitFields {
	report: string;
	tasks: VisitTask[];
}

export type VisitInit = Partial<VisitFields> &
	Pick<VisitFields, 'accountId' | 'repId' | 'plannedDate' | 'sequence'> & {
		report?: string;
		tasks?: VisitTaskInit[];
	};

export function visitFields(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap<unknown>('fields');
}

export function visitReport(doc: Y.Doc): Y.Text {
	return doc.getText('report');
}

export function visitTasks(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
	return doc.getArray<Y.Map<unknown>>('tasks');
}

/** Fields added after v1's first release: written only when given, so older documents read the same as new ones. */
type OptionalVisitField = 'appointmentAt' | 'priority' | 'plannedAt' | 'checkInDistanceM' | 'checkInReason' | 'checkInStoreLat' | 'checkInStoreLng';

export function createVisit(doc: Y.Doc, init: VisitInit): void {
	const { report, tasks, ...fields } = init;
	const complete: Omit<VisitFields, OptionalVisitField> & Partial<VisitFields> = {
		status: 'planned',
		checkInAt: null,
		checkInLat: null,
		checkInLng: null,
		checkOutAt: null,
		outcome: null,
		...fields
	};
	assertInteger(complete.sequence, 'sequence');
	doc.transact(() => {
		initMeta(doc, 'visit');
		setChanged(visitFields(doc), { ...complete });
		if (report !== undefined) replaceText(visitReport(doc), report);
		for (const task of tasks ?? []) addTask(doc, task);
	});
}

export function readVisitFields(doc: Y.Doc): VisitFields {
	const map = visitFields(doc);
	return {
		accountId: asString(map.get('accountId')),
		repId: asString(map.get('repId')),
		plannedDate: asString(map.get('plannedDate')),
		sequence: asNumber(map.get('sequence')),
		status: asOneOf(map.get('status'), VISIT_STATUSES, 'planned'),
		checkInAt: asNullableString(map.get('checkInAt')),
		checkInLat: asNullableNumber(map.get('checkInLat')),
		checkInLng: asNullableNumber(map.get('checkInLng')),
		checkOutAt: asNullableString(map.get('checkOutAt')),
		outcome: asNullableString(map.get('outcome')),
		appointmentAt: asNullableString(map.get('appointmentAt')),
		priority: asOneOf(map.get('priority'), VISIT_PRIORITIES, 'normal'),
		plannedAt: asNullableString(map.get('plannedAt')),
		checkInDistanceM: asNullableNumber(map.get('checkInDistanceM')),
		checkInReason: asNullableString(map.get('checkInReason')),
		checkInStoreLat: asNullableNumber(map.get('checkInStoreLat')),
		checkInStoreLng: asNullableNumber(map.get('checkInStoreLng'))
	};
}

function readTask(map: Y.Map<unknown>): VisitTask {
	return {
		id: asString(map.get('id')),
		title: asString(map.get('title')),
		done: asBoolean(map.get('done'))
	};
}

export function readTasks(doc: Y.Doc): VisitTask[] {
	return recordMaps(visitTasks(doc)).map(readTask);
}

export function readVisit(doc: Y.Doc): Visit {
	return { ...readVisitFields(doc), report: visitReport(doc).toString(), tasks: readTasks(doc) };
}

export function setVisitFields(doc: Y.Doc, values: Partial<VisitFields>): (keyof VisitFields)[] {
	if (values.sequence !== undefined) assertInteger(values.sequence, 'sequence');
	let changed: string[] = [];
	doc.transact(() => {
		changed = setChanged(visitFields(doc), { ...values });
	});
	return changed as (keyof VisitFields)[];
}

/** Returns the new task's id. */
export function addTask(doc: Y.Doc, task: VisitTaskInit): string {
	const id = task.id ?? newId();
	const record: VisitTask = { id, title: task.title, done: task.done ?? false };
	doc.transact(() => {
		visitTasks(doc).push([recordMap({ ...record })]);
	});
	return id;
}

export function setTaskDone(doc: Y.Doc, id: string, done: boolean): boolean {
	const task = findRecord(visitTasks(doc), id);
	if (!task) return false;
	if (task.get('done') !== done) doc.transact(() => task.set('done', done));
	return true;
}

export function renameTask(doc: Y.Doc, id: string, title: string): boolean {
	const task = findRecord(visitTasks(doc), id);
	if (!task) return false;
	if (task.get('title') !== title) doc.transact(() => task.set('title', title));
	return true;
}

export function removeTask(doc: Y.Doc, id: string): boolean {
	const tasks = visitTasks(doc);
	const index = indexOfRecord(tasks, id);
	if (index < 0) return false;
	doc.transact(() => tasks.delete(index, 1));
	return true;
}
