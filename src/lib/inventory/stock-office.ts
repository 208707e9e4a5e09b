/**
 * The office's stock operations over the HTTP API (server/http/stock-api.ts).
 * They need the network: stock moves only through the server's ledger. What they
 * change reaches every device in the warehouse's stock document, as any sync.
 */
import { splitVanQuotaKey } from '../model/stock-counters';

export interface WarehouseFigures {
	warehouse: string;
	onHand: Record<string, number>;
	/** Confirmed on live orders. */
	allocated: Record<string, number>;
	/** `<userId>|<sku>` → units in that rep's van. */
	vans: Record<string, number>;
	/** What is left to sell: on-hand less what is confirmed or in vans. */
	free: Record<string, number>;
}

export interface WarehouseRow {
	sku: string;
	onHand: number;
	allocated: number;
	inVans: number;
	free: number;
}

type Fetch = typeof fetch;

async function call<T>(fetcher: Fetch, url: string, token: string, body?: unknown): Promise<T> {
	const res = await fetcher(url, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const payload = (await res.json().catch(() => ({}))) as { error?: string };
	if (!res.ok) throw new Error(payload.error ?? `stock request failed (${res.status})`);
	return payload as T;
}

function numbers(value: unknown): Record<string, number> {
	if (typeof value !== 'object' || value === null) return {};
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

export async function fetchWarehouse(baseUrl: string, token: string, warehouse: string, fetcher: Fetch = fetch): Promise<WarehouseFigures> {
	const raw = await call<Record<string, unknown>>(fetcher, `${baseUrl}/api/stock/${encodeURIComponent(warehouse)}`, token);
	return { warehouse, onHand: numbers(raw.onHand), allocated: numbers(raw.allocated), vans: numbers(raw.vans), free: numbers(raw.free) };
}

/** One row per product, by SKU. */
export function warehouseRows(figures: WarehouseFigures): WarehouseRow[] {
	const inVans: Record<string, number> = {};
	for (const [key, qty] of Object.entries(figures.vans)) {
		const { sku } = splitVanQuotaKey(key);
		inVans[sku] = (inVans[sku] ?? 0) + qty;
	}
	return Object.keys(figures.onHand)
		.sort()
		.map((sku) => ({ sku, onHand: figures.onHand[sku] ?? 0, allocated: figures.allocated[sku] ?? 0, inVans: inVans[sku] ?? 0, free: figures.free[sku] ?? 0 }));
}

export interface StockChange {
	warehouse: string;
	sku: string;
	qty: number;
}

/** Adds a delivery to on-hand; resolves with the new on-hand count. */
export async function receiveStock(baseUrl: string, token: string, change: StockChange, fetcher: Fetch = fetch): Promise<number> {
	return (await call<{ onHand: number }>(fetcher, `${baseUrl}/api/stock/receive`, token, change)).onHand;
}

/** Sets on-hand to what was counted on the shelf. */
export async function countStock(baseUrl: string, token: string, change: StockChange, fetcher: Fetch = fetch): Promise<void> {
	await call(fetcher, `${baseUrl}/api/stock/count`, token, change);
}

/** Loads free units into a rep's van; resolves with what the van now holds of that product. */
export async function loadVan(baseUrl: string, token: string, change: StockChange & { userId: string }, fetcher: Fetch = fetch): Promise<number> {
	return (await call<{ inVan: number }>(fetcher, `${baseUrl}/api/stock/van/load`, token, change)).inVan;
}

/** Puts unused van units back into the warehouse (the rep's own van unless `userId`); resolves with how many moved. */
export async function unloadVan(baseUrl: string, token: string, change: StockChange & { userId?: string }, fetcher: Fetch = fetch): Promise<number> {
	return (await call<{ returned: number }>(fetcher, `${baseUrl}/api/stock/van/unload`, token, change)).returned;
}
