import type { IncomingMessage, ServerResponse } from 'node:http';
import { z, ZodError } from 'zod';
import { AuthError } from '../auth/errors';
import { verifyPassword } from '../auth/passwords';
import { authenticate, type TokenService } from '../auth/tokens';
import type { FieldConfig } from '../config';
import type { Logger } from '../log';
import type { DocumentFanout } from '../fanout/document-fanout';
import type { RelayMetrics } from '../metrics/relay-metrics';
import { buildManifest } from '../projections/manifest';
import type { ValidationRules } from '../policy/validation-service';
import type { DocumentStore, UserRecord } from '../store/document-store';
import { bearerToken, HttpError, readJsonBody, sendCacheableJson, sendJson, sendText } from './respond';

/** More endpoints, each answering false for paths that are not its own; errors are answered as for the rest. */
export type ApiRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface ApiDeps {
	/** Endpoints of other parts (inventory, ...), tried before a path is declared unknown. */
	routes?: readonly ApiRoutes[];
	validation: ValidationRules;
	/** The rules changed: documents in memory are checked again. */
	onRulesChanged(): void;
	store: DocumentStore;
	/** Other instances hear this one through it; while it is down, /healthz says so. */
	fanout: Pick<DocumentFanout, 'connected'>;
	tokens: TokenService;
	metrics: RelayMetrics;
	log: Logger;
	field: FieldConfig;
}

const LoginBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function publicUser(user: UserRecord) {
	return { id: user.id, username: user.username, displayName: user.displayName, role: user.role, territories: user.territories };
}

/** The HTTP API of the wire contract; answers false when the path is not its own. */
export function createApiHandler(deps: ApiDeps) {
	const { store, tokens, metrics, log, field } = deps;

	async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const body = LoginBody.safeParse(await readJsonBody(req));
		if (!body.success) throw new HttpError(400, 'username and password are required');
		const user = await store.getUserByName(body.data.username);
		const ok = user !== undefined && (await verifyPassword(body.data.password, user.passwordHash));
		metrics.logins.inc({ result: ok ? 'ok' : 'refused' });
		if (!ok || !user) {
			log.info({ username: body.data.username }, 'login refused');
			throw new HttpError(401, 'wrong username or password');
		}
		const { token, expiresAt } = await tokens.issue(user);
		sendJson(res, 200, { token, expiresAt, user: publicUser(user) });
	}

	async function manifest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const user = await authenticate(tokens, store, bearerToken(req));
		const requested = url.searchParams.get('today');
		const today = requested && IsoDay.safeParse(requested).success ? requested : new Date().toISOString().slice(0, 10);
		sendCacheableJson(req, res, { docs: await buildManifest(store, user, today) });
	}

	async function renew(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const userId = await tokens.verifyForRenewal(bearerToken(req));
		const user = await store.getUserById(userId);
		if (!user) throw new HttpError(401, 'user no longer exists');
		const { token, expiresAt } = await tokens.issue(user);
		sendJson(res, 200, { token, expiresAt, user: publicUser(user) });
	}

	async function putRules(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const user = await authenticate(tokens, store, bearerToken(req));
		if (user.role !== 'admin') throw new HttpError(403, 'only an admin changes validation rules');
		const parsed = await readJsonBody(req);
		try {
			const rules = await deps.validation.replace(parsed);
			deps.onRulesChanged();
			log.info({ by: user.username, rules: rules.length }, 'validation rules changed');
			sendJson(res, 200, { rules });
		} catch (err) {
			if (err instanceof ZodError) throw new HttpError(400, `invalid rules: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
			throw err;
		}
	}

	/** The reps a user plans for: those sharing a territory with a manager, every rep for an admin, a rep alone. */
	async function team(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const user = await authenticate(tokens, store, bearerToken(req));
		const users = await store.listUsers();
		const reps = users.filter(
			(other) =>
				other.role === 'rep' &&
				(user.role === 'admin' || other.id === user.id || (user.role === 'manager' && other.territories.some((t) => user.territories.includes(t))))
		);
		sendJson(res, 200, { users: reps.map(publicUser) });
	}

	async function me(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const user = await authenticate(tokens, store, bearerToken(req));
		sendJson(res, 200, { user: publicUser(user) });
	}

	return async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
		const route = `${req.method} ${url.pathname}`;
		try {
			switch (route) {
				case 'GET /healthz':
					if (!(await store.isReady())) sendText(res, 503, 'store not ready\n');
					else if (!deps.fanout.connected) sendText(res, 503, 'fan-out to other instances not connected\n');
					else sendText(res, 200, 'ok\n');
					return true;
				case 'GET /metrics':
					sendText(res, 200, await metrics.registry.metrics(), metrics.registry.contentType);
					return true;
				case 'POST /api/login':
					await login(req, res);
					return true;
				case 'POST /api/session/renew':
					await renew(req, res);
					return true;
				case 'GET /api/manifest':
					await manifest(req, res, url);
					return true;
				case 'GET /api/admin/validation-rules':
					await authenticate(tokens, store, bearerToken(req));
					sendJson(res, 200, { rules: deps.validation.current });
					return true;
				case 'PUT /api/admin/validation-rules':
					await putRules(req, res);
					return true;
				case 'GET /api/me':
					await me(req, res);
					return true;
				case 'GET /api/config':
					// Public: the app reads it before and after sign-in, and it holds nothing secret.
					sendJson(res, 200, { mapStyleUrl: field.mapStyleUrl ?? null, geofenceRadiusM: field.geofenceRadiusM });
					return true;
				case 'GET /api/team':
					await team(req, res);
					return true;
				default:
					for (const routes of deps.routes ?? []) if (await routes(req, res, url)) return true;
					if (url.pathname.startsWith('/api/')) throw new HttpError(404, `no such endpoint: ${route}`);
					return false;
			}
		} catch (err) {
			if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
			else if (err instanceof AuthError) sendJson(res, 401, { error: err.message, reason: err.failure });
			else {
				log.error({ err, route }, 'request failed');
				sendJson(res, 500, { error: 'internal error' });
			}
			return true;
		}
	}
}
