import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isValidId } from '../../src/lib/model/names';
import type { SendMessageResponse } from '../../src/lib/protocol/office-api';
import { SyncActivity } from '../activity/sync-activity';
import { authenticate, type TokenService } from '../auth/tokens';
import type { ManagerDashboard } from '../dashboard/manager-dashboard';
import type { Logger } from '../log';
import type { Notify } from '../notifications/notify-options';
import type { DocumentStore, UserRecord } from '../store/document-store';
import type { ApiRoutes } from './api';
import { bearerToken, HttpError, readJsonBody, sendJson } from './respond';

const Id = z.string().refine(isValidId, 'must be an id (letters, digits, _ and -)');
const SendMessageBody = z
	.object({
		to: z.union([z.object({ userId: Id }).strict(), z.object({ territory: z.string().min(1).max(100) }).strict()], {
			error: 'must be {"userId": "..."} or {"territory": "..."}'
		}),
		title: z.string().trim().min(1, 'must not be empty').max(200),
		body: z.string().max(4000).default(''),
		urgent: z.boolean().optional()
	})
	.strict();
const DeviceReportBody = z.object({
	deviceId: z.string().refine(SyncActivity.isDeviceId, 'must be the device id the app sends with /sync'),
	waiting: z.number().int().min(0).max(1_000_000),
	error: z.string().max(500).nullable(),
	lastSyncedAt: z.iso.datetime().nullable()
});
const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
	return parsed.data;
}

function requireOffice(user: UserRecord, what: string): void {
	if (user.role !== 'manager' && user.role !== 'admin') throw new HttpError(403, `only managers and admins ${what}`);
}

export interface OfficeApiDeps {
	store: DocumentStore;
	tokens: TokenService;
	log: Logger;
	notify: Notify;
	/** Resolves once everything written so far is in the store (a sent message is durable when we answer). */
	persisted(): Promise<void>;
	dashboard: ManagerDashboard;
	activity: SyncActivity;
}

/**
 * The office's endpoints: messages from managers to reps (POST /api/messages),
 * the manager's dashboard (GET /api/dashboard), and what devices report about
 * their sync (POST /api/devices/report).
 */
export function createOfficeApi(deps: OfficeApiDeps): ApiRoutes {
	const { store, tokens, log } = deps;

	/** A manager writes to reps sharing a territory (one, or all of a territory of theirs); an admin to anyone. */
	async function recipients(sender: UserRecord, to: z.infer<typeof SendMessageBody>['to']): Promise<UserRecord[]> {
		if ('userId' in to) {
			const user = await store.getUserById(to.userId);
			if (!user) throw new HttpError(404, `no such user: ${to.userId}`);
			if (sender.role === 'admin') return [user];
			if (user.role === 'rep' && user.territories.some((t) => sender.territories.includes(t))) return [user];
			throw new HttpError(403, `${user.username} is not a rep of your territories`);
		}
		if (sender.role !== 'admin' && !sender.territories.includes(to.territory)) throw new HttpError(403, `territory ${to.territory} is not one of yours`);
		const reps = (await store.listUsers()).filter((u) => u.role === 'rep' && u.territories.includes(to.territory));
		if (reps.length === 0) throw new HttpError(404, `no reps in territory ${to.territory}`);
		return reps;
	}

	async function sendMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const sender = await authenticate(tokens, store, bearerToken(req));
		requireOffice(sender, 'send messages');
		const message = parse(SendMessageBody, await readJsonBody(req));
		const sent: SendMessageResponse['sent'] = [];
		for (const user of await recipients(sender, message.to)) {
			const messageId = await deps.notify(
				user.id,
				{ kind: 'manager_message', title: message.title, body: message.body },
				{ urgent: message.urgent === true, from: sender.displayName }
			);
			if (messageId === undefined) throw new HttpError(503, `could not write to ${user.username}'s inbox; nothing more was sent`);
			sent.push({ userId: user.id, messageId });
		}
		await deps.persisted();
		log.info({ by: sender.username, to: message.to, recipients: sent.length, urgent: message.urgent === true }, 'message sent');
		sendJson(res, 201, { sent } satisfies SendMessageResponse);
	}

	async function dashboard(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const viewer = await authenticate(tokens, store, bearerToken(req));
		requireOffice(viewer, 'see the team dashboard');
		const requested = url.searchParams.get('day');
		if (requested !== null && !IsoDay.safeParse(requested).success) throw new HttpError(400, 'day: must be YYYY-MM-DD');
		sendJson(res, 200, await deps.dashboard.build(viewer, requested ?? new Date().toISOString().slice(0, 10)));
	}

	async function deviceReport(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const user = await authenticate(tokens, store, bearerToken(req));
		const report = parse(DeviceReportBody, await readJsonBody(req, 4096));
		deps.activity.report(user.id, report.deviceId, { waiting: report.waiting, error: report.error, lastSyncedAt: report.lastSyncedAt });
		res.writeHead(204, { 'cache-control': 'no-store' });
		res.end();
	}

	return async (req, res, url) => {
		switch (`${req.method} ${url.pathname}`) {
			case 'POST /api/messages':
				await sendMessage(req, res);
				return true;
			case 'GET /api/dashboard':
				await dashboard(req, res, url);
				return true;
			case 'POST /api/devices/report':
				await deviceReport(req, res);
				return true;
			default:
				return false;
		}
	};
}
