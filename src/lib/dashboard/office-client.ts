import type { DashboardResponse, SendMessageRequest, SendMessageResponse } from '../protocol/office-api';

/** The server said no, in its own words (a 4xx `error`), or could not be reached. */
export class OfficeRequestError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
		this.name = 'OfficeRequestError';
	}
}

async function failure(res: Response, what: string): Promise<OfficeRequestError> {
	const body = (await res.json().catch(() => ({}))) as { error?: unknown };
	return new OfficeRequestError(typeof body.error === 'string' ? body.error : `${what} failed (${res.status})`, res.status);
}

/** GET /api/dashboard for `day` (YYYY-MM-DD). */
export async function fetchDashboard(baseUrl: string, token: string, day: string, fetcher: typeof fetch): Promise<DashboardResponse> {
	const res = await fetcher(`${baseUrl}/api/dashboard?day=${encodeURIComponent(day)}`, { headers: { authorization: `Bearer ${token}` } });
	if (!res.ok) throw await failure(res, 'dashboard request');
	return (await res.json()) as DashboardResponse;
}

/** POST /api/messages: to one rep or every rep of a territory. */
export async function sendOfficeMessage(baseUrl: string, token: string, message: SendMessageRequest, fetcher: typeof fetch): Promise<SendMessageResponse> {
	const res = await fetcher(`${baseUrl}/api/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify(message)
	});
	if (!res.ok) throw await failure(res, 'sending the message');
	return (await res.json()) as SendMessageResponse;
}
