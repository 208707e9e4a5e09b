import type * as Y from 'yjs';
import { tryParseDocName } from '../../src/lib/model/names';
import type { DocumentFactsCache } from '../dashboard/document-facts';
import type { Logger } from '../log';
import { sessionOf } from '../relay/session';
import type { DocumentStore, Role } from '../store/document-store';
import { accountChanges, accountMessage } from './account-changes';
import { repsOfTerritories, repsUsingPriceList } from './affected-reps';
import { catalogChanges, catalogMessage, type KeyChanges } from './catalog-changes';
import type { Notify } from './notify-options';

export interface ChangeAnnouncerDeps {
	store: DocumentStore;
	facts: DocumentFactsCache;
	notify: Notify;
	log: Logger;
}

/**
 * Tells reps about office changes as they are applied on the server: new prices
 * and products in a catalog an admin edited (to the reps whose accounts use that
 * price list), and an account's status or terms a manager changed (to the reps of
 * its territory). Each transaction (one update a device sent) makes at most one
 * message per rep. Only writes that stand count: a rep's write the guard puts
 * back, or the put-back itself, is not the writer's role's to make and is ignored.
 */
export class ChangeAnnouncer {
	private readonly inFlight = new Set<Promise<void>>();

	constructor(private readonly deps: ChangeAnnouncerDeps) {}

	/** Starts watching a document the relay just loaded (only catalogs and accounts matter). */
	watch(name: string, doc: Y.Doc): void {
		const parsed = tryParseDocName(name);
		if (parsed?.kind === 'catalog') {
			const products = doc.getMap<unknown>('products');
			products.observe((event) => {
				if (writerRole(event.transaction.origin) !== 'admin') return;
				const changes = catalogChanges(event.changes.keys as KeyChanges, (sku) => products.get(sku));
				if (changes.length > 0) this.track(this.announceCatalog(parsed.id, catalogMessage(parsed.id, changes)));
			});
		} else if (parsed?.kind === 'account') {
			const fields = doc.getMap<unknown>('fields');
			fields.observe((event) => {
				const role = writerRole(event.transaction.origin);
				if (role !== 'manager' && role !== 'admin') return;
				const change = accountChanges(event.changes.keys as KeyChanges, (field) => fields.get(field));
				if (!change) return;
				const title = typeof fields.get('name') === 'string' && fields.get('name') !== '' ? String(fields.get('name')) : parsed.id;
				const territory = fields.get('territory');
				const by = sessionOf(event.transaction.origin)?.user.displayName ?? 'The office';
				const { message, options } = accountMessage(parsed.id, title, change, by);
				if (typeof territory === 'string') this.track(this.announceToTerritory(territory, message, options));
			});
		}
	}

	/** Resolves once every announcement started so far has been written to the inboxes. */
	async settled(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
	}

	private track(work: Promise<void>): void {
		const tracked = work.catch((err: unknown) => this.deps.log.error({ err }, 'could not announce a change')).finally(() => this.inFlight.delete(tracked));
		this.inFlight.add(tracked);
	}

	private async announceCatalog(priceListId: string, message: Parameters<Notify>[1]): Promise<void> {
		const reps = await repsUsingPriceList(this.deps.store, this.deps.facts, priceListId);
		for (const rep of reps) await this.deps.notify(rep.id, message, {});
		this.deps.log.info({ priceList: priceListId, kind: message.kind, reps: reps.length }, 'catalog change announced');
	}

	private async announceToTerritory(territory: string, message: Parameters<Notify>[1], options: Parameters<Notify>[2]): Promise<void> {
		const reps = await repsOfTerritories(this.deps.store, new Set([territory]));
		for (const rep of reps) await this.deps.notify(rep.id, message, options);
	}
}

function writerRole(origin: unknown): Role | undefined {
	return sessionOf(origin)?.user.role;
}
