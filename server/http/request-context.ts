import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** What every log line written while serving one HTTP request says about it. */
export interface RequestContext {
	reqId: string;
	/** Set once the request's token is verified. */
	user?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `serve` with a request context, so the logger (see log.ts) tags every line of
 * the request, including those of endpoints that never see a logger of their own.
 */
export function withRequestContext<T>(reqId: string | undefined, serve: () => T): T {
	return storage.run({ reqId: reqId && /^[\w.:-]{1,64}$/.test(reqId) ? reqId : randomBytes(6).toString('base64url') }, serve);
}

export function currentRequest(): RequestContext | undefined {
	return storage.getStore();
}

/** Names the signed-in user in the rest of the current request's log lines (no-op outside a request). */
export function noteRequestUser(username: string): void {
	const context = storage.getStore();
	if (context) context.user = username;
}
