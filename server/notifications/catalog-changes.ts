import { toProduct, type Product } from '../../src/lib/model/catalog';
import type { OutgoingMessage } from './notify-options';

/** One product change a rep should hear about: a new price, or a product now on offer. */
export type CatalogChange =
	| { kind: 'price'; sku: string; name: string; oldPrice: number; price: number }
	| { kind: 'new' | 'activated'; sku: string; name: string; price: number };

/** What a Y.Map event says about each changed key (Yjs' `event.changes.keys`). */
export type KeyChanges = Map<string, { action: 'add' | 'update' | 'delete'; oldValue: unknown }>;

/**
 * The changes in one catalog transaction that reps must learn: price changes of
 * active products, and products added or activated. Removals, deactivations and
 * edits of names or units are the office's own business.
 */
export function catalogChanges(keys: KeyChanges, current: (sku: string) => unknown): CatalogChange[] {
	const changes: CatalogChange[] = [];
	for (const [sku, change] of keys) {
		if (change.action === 'delete') continue;
		const now = toProduct(current(sku));
		if (!now?.active) continue;
		const before: Product | undefined = change.action === 'update' ? toProduct(change.oldValue) : undefined;
		if (!before) changes.push({ kind: 'new', sku, name: now.name || sku, price: now.price });
		else if (!before.active) changes.push({ kind: 'activated', sku, name: now.name || sku, price: now.price });
		else if (before.price !== now.price) changes.push({ kind: 'price', sku, name: now.name || sku, oldPrice: before.price, price: now.price });
	}
	return changes.sort((a, b) => a.sku.localeCompare(b.sku));
}

// Same fixed locale as the app (src/lib/ui/money.ts), so a message reads like the screens.
const euros = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
const money = (cents: number): string => euros.format(cents / 100);

/** Lines listed in one message; the rest is counted. */
const MAX_LINES = 12;

/** One message for every change of one batch, however many products it touched. */
export function catalogMessage(priceListId: string, changes: readonly CatalogChange[]): OutgoingMessage {
	const prices = changes.filter((c) => c.kind === 'price');
	const offers = changes.filter((c) => c.kind !== 'price');
	const kind = offers.length === 0 ? 'price_change' : prices.length === 0 ? 'promotion' : 'catalog_update';
	const first = changes[0]?.name ?? '';
	const more = changes.length > 1 ? ` and ${changes.length - 1} more` : '';
	const title =
		kind === 'price_change' ? `New price: ${first}${more}` : kind === 'promotion' ? `Now in the catalogue: ${first}${more}` : `Catalogue update: ${first}${more}`;
	const lines = changes.slice(0, MAX_LINES).map((c) =>
		c.kind === 'price' ? `${c.name}: ${money(c.oldPrice)} → ${money(c.price)}` : `${c.kind === 'new' ? 'New' : 'Available again'}: ${c.name} at ${money(c.price)}`
	);
	if (changes.length > MAX_LINES) lines.push(`…and ${changes.length - MAX_LINES} more.`);
	return { kind, title, body: `Price list ${priceListId}, in effect now:\n${lines.join('\n')}` };
}
