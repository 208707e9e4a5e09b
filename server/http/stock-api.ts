import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isValidId } from '../../src/lib/model';
import { authenticate, type TokenService } from '../auth/tokens';
import type { InventoryService } from '../inventory/inventory-service';
import { heldBySku } from '../inventory/stock-publisher';
import { StockLedgerError } from '../inventory/stock-ledger';
import type { Logger } from '../log';
import type { DocumentStore, UserRecord } from '../store/document-store';
import type { ApiRoutes } from './api';
import { bearerToken, HttpError, readJsonBody, sendJson } from './respond';

const Id = z.string().refine(isValidId, 'must be a document id');
const Quantity = z.number().int().min(0).max(1_000_000_000);
const StockChange = z.object({ warehouse: Id, sku: z.string().min(1).max(200), qty: Quantity });
const VanChange = StockChange.extend({ userId: Id.optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
	return parsed.data;
}

function requireOffice(user: UserRecord): void {
	if (user.role === 'rep') throw new HttpError(403, 'only managers and admins change stock');
}

/**
 * The office side of stock: receipts, counts, loading and unloading vans. Every
 * change goes through the ledger (one atomic step) and then reaches devices in the
 * warehouse's stock document, as any other sync.
 */
export function createStockApi(deps: { store: DocumentStore; tokens: TokenService; inventory: InventoryService; log: Logger }): ApiRoutes {
	const { store, tokens, inventory, log } = deps;

	/** A manager loads vans of reps sharing a territory; an admin, anyone's; a rep unloads only their own. */
	async function vanOwner(user: UserRecord, requested: string | undefined): Promise<string> {
		const userId = requested ?? user.id;
		if (user.role === 'admin' || userId === user.id) return userId;
		const rep = await store.getUserById(userId);
		if (!rep) throw new HttpError(404, `no such user: ${userId}`);
		if (user.role === 'manager' && rep.territories.some((t) => user.territories.includes(t))) return userId;
		throw new HttpError(403, `${rep.username}'s van is not yours to change`);
	}

	async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
		const route = `${req.method} ${url.pathname}`;
		if (route === 'POST /api/stock/receive' || route === 'POST /api/stock/count') {
			const user = await authenticate(tokens, store, bearerToken(req));
			requireOffice(user);
			const change = parse(StockChange, await readJsonBody(req));
			if (route === 'POST /api/stock/receive') {
				const onHand = await inventory.receive(change.warehouse, change.sku, change.qty);
				log.info({ by: user.username, ...change, onHand }, 'stock received');
				sendJson(res, 200, { warehouse: change.warehouse, sku: change.sku, onHand });
			} else {
				await inventory.count(change.warehouse, change.sku, change.qty);
				log.info({ by: user.username, ...change }, 'stock counted');
				sendJson(res, 200, { warehouse: change.warehouse, sku: change.sku, onHand: change.qty });
			}
			return true;
		}
		if (route === 'POST /api/stock/van/load' || route === 'POST /api/stock/van/unload') {
			const user = await authenticate(tokens, store, bearerToken(req));
			const change = parse(VanChange, await readJsonBody(req));
			if (route === 'POST /api/stock/van/load') {
				requireOffice(user);
				if (!change.userId) throw new HttpError(400, 'userId: whose van to load');
				const userId = await vanOwner(user, change.userId);
				const inVan = await inventory.loadVan(change.warehouse, userId, change.sku, change.qty);
				log.info({ by: user.username, ...change }, 'van loaded');
				sendJson(res, 200, { warehouse: change.warehouse, userId, sku: change.sku, inVan });
			} else {
				const userId = await vanOwner(user, change.userId);
				const moved = await inventory.unloadVan(change.warehouse, userId, change.sku, change.qty);
				log.info({ by: user.username, ...change, moved }, 'van unloaded');
				sendJson(res, 200, { warehouse: change.warehouse, userId, sku: change.sku, returned: moved });
			}
			return true;
		}
		const match = /^\/api\/stock\/([^/]+)$/.exec(url.pathname);
		if (req.method === 'GET' && match) {
			const user = await authenticate(tokens, store, bearerToken(req));
			requireOffice(user);
			const warehouse = parse(Id, decodeURIComponent(match[1]!));
			await inventory.publish(warehouse);
			const totals = await inventory.ledger.totals(warehouse);
			const held = heldBySku(totals);
			const free = Object.fromEntries(Object.entries(totals.onHand).map(([sku, qty]) => [sku, Math.max(0, qty - (held[sku] ?? 0))]));
			sendJson(res, 200, { warehouse, onHand: totals.onHand, allocated: totals.allocated, vans: totals.vanRemaining, free });
			return true;
		}
		return false;
	}

	return async (req, res, url) => {
		if (!url.pathname.startsWith('/api/stock/')) return false;
		try {
			return await handle(req, res, url);
		} catch (err) {
			if (err instanceof StockLedgerError) throw new HttpError(409, err.message);
			throw err;
		}
	};
}
