/** The signed-in user as the API returns it. */
export interface SessionUser {
	id: string;
	username: string;
	displayName: string;
	role: 'rep' | 'manager' | 'admin';
	territories: string[];
}

export interface Session {
	token: string;
	expiresAt: string;
	user: SessionUser;
}

export interface ManifestDoc {
	name: string;
	kind: string;
	updatedAt: string;
	priority: number;
}

export class LoginError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
		this.name = 'LoginError';
	}
}

/** The server no longer accepts the session's token (expired or revoked). */
export class SessionExpiredError extends Error {
	constructor(message = 'session expired') {
		super(message);
		this.name = 'SessionExpiredError';
	}
}

async function readSession(res: Response): Promise<Session> {
	const body = (await res.json().catch(() => ({}))) as Partial<Session> & { error?: string };
	if (!res.ok || !body.token || !body.user) throw new LoginError(body.error ?? `sign-in failed (${res.status})`, res.status);
	return { token: body.token, expiresAt: body.expiresAt ?? '', user: body.user };
}

/** `baseUrl` is '' in the browser (same origin) or the relay's http URL elsewhere. */
export async function login(baseUrl: string, username: string, password: string, fetcher: typeof fetch = fetch): Promise<Session> {
	const res = await fetcher(`${baseUrl}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	return readSession(res);
}

/** Trades a token (possibly expired, within the server's grace period) for a fresh one. */
export async function renewSession(baseUrl: string, token: string, fetcher: typeof fetch = fetch): Promise<Session> {
	const res = await fetcher(`${baseUrl}/api/session/renew`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
	if (res.status === 401) throw new SessionExpiredError();
	return readSession(res);
}

export interface FetchedManifest {
	docs: ManifestDoc[];
	etag: string | null;
}

/** The documents this user syncs; null when unchanged since `etag` (nothing is downloaded). */
export async function fetchManifest(
	baseUrl: string,
	token: string,
	today: string,
	fetcher: typeof fetch = fetch,
	etag: string | null = null
): Promise<FetchedManifest | null> {
	const headers: Record<string, string> = { authorization: `Bearer ${token}` };
	if (etag) headers['if-none-match'] = etag;
	const res = await fetcher(`${baseUrl}/api/manifest?today=${encodeURIComponent(today)}`, { headers });
	if (res.status === 304) return null;
	if (res.status === 401) throw new SessionExpiredError();
	if (!res.ok) throw new Error(`manifest request failed (${res.status})`);
	return { docs: ((await res.json()) as { docs: ManifestDoc[] }).docs, etag: res.headers.get('etag') };
}
