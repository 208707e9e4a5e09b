import type { InboxMessage } from '../model/inbox';
import { formatClock, formatDay } from './clock-time';

/** Inbox message kinds a planning change sends to the rep concerned. */
export const PLAN_MESSAGE_KINDS = ['visit_planned', 'visit_rescheduled', 'visit_reassigned', 'visit_removed'] as const;
export type PlanMessageKind = (typeof PLAN_MESSAGE_KINDS)[number];

export interface PlanChange {
	kind: PlanMessageKind;
	accountTitle: string;
	day: string;
	previousDay?: string;
	appointmentAt?: string | null;
	/** Who made the change, as the rep knows them. */
	by: string;
}

/** Title and body of the message a rep gets for a planning change. */
export function planMessage(change: PlanChange): { kind: PlanMessageKind; title: string; body: string } {
	const when = `${formatDay(change.day)}${change.appointmentAt ? ` at ${formatClock(change.appointmentAt)}` : ''}`;
	switch (change.kind) {
		case 'visit_planned':
			return { kind: change.kind, title: `New visit: ${change.accountTitle}`, body: `${change.by} planned a visit to ${change.accountTitle} on ${when}.` };
		case 'visit_rescheduled':
			return {
				kind: change.kind,
				title: `Visit moved: ${change.accountTitle}`,
				body: `${change.by} moved your visit to ${change.accountTitle}${change.previousDay ? ` from ${formatDay(change.previousDay)}` : ''} to ${when}.`
			};
		case 'visit_reassigned':
			return { kind: change.kind, title: `Visit assigned to you: ${change.accountTitle}`, body: `${change.by} gave you the visit to ${change.accountTitle} on ${when}.` };
		case 'visit_removed':
			return {
				kind: change.kind,
				title: `Visit taken off your plan: ${change.accountTitle}`,
				body: `${change.by} took the visit to ${change.accountTitle} on ${formatDay(change.day)} off your plan.`
			};
	}
}

export function isPlanMessage(message: InboxMessage): boolean {
	return (PLAN_MESSAGE_KINDS as readonly string[]).includes(message.kind);
}

/** Planning messages the rep has not read yet, newest first. */
export function unreadPlanMessages(messages: readonly InboxMessage[]): InboxMessage[] {
	return messages.filter((message) => isPlanMessage(message) && message.readAt === null).sort((a, b) => b.at.localeCompare(a.at));
}
