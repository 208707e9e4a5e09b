/** Local wall-clock time as the rep reads it on the phone: "14:32". */
export function formatClock(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '--:--';
	return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The local calendar day, YYYY-MM-DD, which is how visits are planned. */
export function localDay(now: Date): string {
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "12 Mar 2025" for a YYYY-MM-DD day, read as a calendar date and not shifted by time zone. */
export function formatDay(day: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!match) return day;
	const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

function pad(value: number): string {
	return String(value).padStart(2, '0');
}
