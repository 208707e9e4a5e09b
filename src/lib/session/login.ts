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

export class LoginError extends Error {
	constructor(
		message: string,
		readonly status: number
	) {
		super(message);
		this.name = 'LoginError';
	}
}

export async function login(username: string, password: string, fetcher: typeof fetch = fetch): Promise<Session> {
	const res = await fetcher('/api/login', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	const body = (await res.json().catch(() => ({}))) as Partial<Session> & { error?: string };
	if (!res.ok || !body.token || !body.user) throw new LoginError(body.error ?? `sign-in failed (${res.status})`, res.status);
	return { token: body.token, expiresAt: body.expiresAt ?? '', user: body.user };
}

export async function fetchManifest(token: string, fetcher: typeof fetch = fetch): Promise<Array<{ name: string; kind: string; priority: number }>> {
	const res = await fetcher('/api/manifest', { headers: { authorization: `Bearer ${token}` } });
	if (!res.ok) throw new Error(`manifest failed (${res.status})`);
	return ((await res.json()) as { docs: Array<{ name: string; kind: string; priority: number }> }).docs;
}
