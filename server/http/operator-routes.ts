import { authenticate, type TokenService } from '../auth/tokens';
import type { DocumentStore } from '../store/document-store';
import type { AdminStatus } from './admin-status';
import type { ApiRoutes } from './api';
import { bearerToken, HttpError, sendJson, sendText } from './respond';

export interface OperatorRoutesDeps {
	store: DocumentStore;
	tokens: TokenService;
	/** False once shutdown has begun. */
	isAccepting(): boolean;
	status(): Promise<AdminStatus>;
}

/**
 * `GET /readyz` for load balancers (unlike /healthz it turns 503 as soon as shutdown
 * begins, so traffic drains before the relay closes) and `GET /api/admin/status`.
 */
export function createOperatorRoutes(deps: OperatorRoutesDeps): ApiRoutes {
	return async (req, res, url) => {
		switch (`${req.method} ${url.pathname}`) {
			case 'GET /readyz':
				if (!deps.isAccepting()) sendText(res, 503, 'shutting down\n');
				else if (!(await deps.store.isReady())) sendText(res, 503, 'store not ready\n');
				else sendText(res, 200, 'ready\n');
				return true;
			case 'GET /api/admin/status': {
				const user = await authenticate(deps.tokens, deps.store, bearerToken(req));
				if (user.role !== 'admin') throw new HttpError(403, 'only an admin sees the relay status');
				sendJson(res, 200, await deps.status());
				return true;
			}
			default:
				return false;
		}
	};
}
