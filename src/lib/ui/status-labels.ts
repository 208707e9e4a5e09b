/** Words for the status codes stored in documents ("checked_in" → "Checked in"). */
const LABELS: Record<string, string> = {
	planned: 'Planned',
	checked_in: 'Checked in',
	completed: 'Completed',
	skipped: 'Skipped',
	cancelled: 'Cancelled',
	draft: 'Draft',
	submitted: 'Submitted',
	confirmed: 'Confirmed',
	partially_confirmed: 'Partially confirmed',
	rejected: 'Rejected',
	active: 'Active',
	on_hold: 'On hold',
	archived: 'Archived',
	// What became of a planned visit, in plan vs actual.
	visited: 'Visited',
	in_progress: 'In progress',
	missed: 'Missed',
	pending: 'To do'
};

export function statusLabel(status: string | null): string {
	if (status === null || status === '') return 'Unknown';
	return LABELS[status] ?? status.replaceAll('_', ' ');
}

/** Colour family of a status badge. */
export type StatusTone = 'neutral' | 'active' | 'good' | 'warning' | 'bad';

const TONES: Record<string, StatusTone> = {
	planned: 'neutral',
	checked_in: 'active',
	completed: 'good',
	skipped: 'warning',
	cancelled: 'bad',
	draft: 'neutral',
	submitted: 'active',
	confirmed: 'good',
	partially_confirmed: 'warning',
	rejected: 'bad',
	active: 'good',
	on_hold: 'warning',
	archived: 'neutral',
	visited: 'good',
	in_progress: 'active',
	missed: 'bad',
	pending: 'neutral'
};

export function statusTone(status: string | null): StatusTone {
	return (status !== null && TONES[status]) || 'neutral';
}
