import * as Y from 'yjs';

/** One field that an incoming update sets without having seen the value the document holds. */
export interface ConcurrentFieldWrite {
	field: string;
	/** The value the document held before the update (written by `current.client`). */
	current: { value: unknown; client: number };
	/** The value the update writes last for this field. */
	incoming: { value: unknown; client: number };
}

type DecodedItem = Y.Item;

export interface FieldWrites {
	/** Every field of the map the update writes. */
	written: string[];
	/** Those written without having seen the document's current value. */
	concurrent: ConcurrentFieldWrite[];
}

/** The concurrent writes only; see analyseFieldWrites. */
export function detectConcurrentFieldWrites(doc: Y.Doc, update: Uint8Array, mapName = 'fields'): ConcurrentFieldWrite[] {
	return analyseFieldWrites(doc, Y.decodeUpdate(update), mapName).concurrent;
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * Finds the scalar fields of `Y.Map(mapName)` that `update` writes, and which of
 * them it writes concurrently with the value `doc` holds, before it is applied.
 *
 * Exact, not by timestamps: a Yjs map write records as its origin the entry it
 * replaced. A write whose chain of origins does not reach the entry the document
 * holds now was made without seeing it — both writers changed the field
 * independently. Writes that saw the current value (sequential edits, however
 * close in time) are not conflicts.
 */
export function analyseFieldWrites(doc: Y.Doc, decoded: DecodedUpdate, mapName = 'fields'): FieldWrites {
	if (decoded.structs.length === 1) return analyseOneWrite(doc, decoded.structs[0]!, mapName);
	const map = doc.getMap(mapName);
	const fresh = new Map<string, DecodedItem>();
	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item)) continue;
		if (struct.id.clock < Y.getState(doc.store, struct.id.client)) continue; // already applied
		fresh.set(idKey(struct.id), struct);
	}
	if (fresh.size === 0) return { written: [], concurrent: [] };

	// Each fresh item's field: stated for a first write, else inherited from what it replaced.
	const chains: FieldChains = { doc, map, mapName, fresh, fieldOf: new Map() };
	const byField = new Map<string, DecodedItem[]>();
	for (const item of fresh.values()) {
		const field = resolveField(chains, item);
		if (field === null) continue;
		const list = byField.get(field) ?? [];
		list.push(item);
		byField.set(field, list);
	}

	const conflicts: ConcurrentFieldWrite[] = [];
	for (const [field, items] of byField) {
		const current = map._map.get(field);
		if (!current || current.deleted) continue; // nothing independent to lose
		const replacedWithin = new Set(items.flatMap((i) => (i.origin ? [idKey(i.origin)] : [])));
		const saw = (item: DecodedItem): boolean => {
			// Walk back through this update's own writes to the first one; it must have replaced `current`.
			let first = item;
			for (let guard = 0; first.origin && fresh.has(idKey(first.origin)) && guard < 10_000; guard++) {
				first = fresh.get(idKey(first.origin))!;
			}
			return first.origin !== null && Y.compareIDs(first.origin, current.lastId);
		};
		const heads = items.filter((i) => !replacedWithin.has(idKey(i.id)));
		for (const head of heads) {
			if (!saw(head)) conflicts.push(concurrentWrite(field, current, head));
		}
	}
	return { written: [...byField.keys()], concurrent: conflicts };
}

/**
 * analyseFieldWrites for an update of one struct, as most edits are: with no
 * chain of this update's own writes to follow, it needs none of the bookkeeping.
 */
function analyseOneWrite(doc: Y.Doc, struct: DecodedUpdate['structs'][number], mapName: string): FieldWrites {
	if (!(struct instanceof Y.Item) || struct.id.clock < Y.getState(doc.store, struct.id.client)) return { written: [], concurrent: [] };
	const map = doc.getMap(mapName);
	const field =
		struct.parentSub !== null && (struct.parent as unknown) === mapName ? struct.parentSub : struct.origin ? fieldReplaced(doc, map, struct.origin) : null;
	if (field === null) return { written: [], concurrent: [] };
	const current = map._map.get(field);
	if (!current || current.deleted || (struct.origin !== null && Y.compareIDs(struct.origin, current.lastId))) return { written: [field], concurrent: [] };
	return { written: [field], concurrent: [concurrentWrite(field, current, struct)] };
}

/** The field of `map` whose entry `origin` names, when the document holds that entry. */
function fieldReplaced(doc: Y.Doc, map: Y.Map<unknown>, origin: Y.ID): string | null {
	if (origin.clock >= Y.getState(doc.store, origin.client)) return null;
	const replaced = Y.getItem(doc.store, origin);
	return replaced instanceof Y.Item && replaced.parent === map ? replaced.parentSub : null;
}

function concurrentWrite(field: string, current: Y.Item, incoming: DecodedItem): ConcurrentFieldWrite {
	return {
		field,
		current: { value: current.content.getContent()[0], client: current.id.client },
		incoming: { value: incoming.content.getContent()[0], client: incoming.id.client }
	};
}

/** What resolveField needs of one analysis: the document, its map, and the update's fresh items. */
interface FieldChains {
	doc: Y.Doc;
	map: Y.Map<unknown>;
	mapName: string;
	fresh: Map<string, DecodedItem>;
	/** Fields already resolved, by item. */
	fieldOf: Map<DecodedItem, string | null>;
}

/**
 * The field of `map` that `start` writes, or null when it writes none. Followed as a
 * loop over the chain of origins, not by recursion: a long run of overwrites in one
 * update must not exhaust the stack, and a forged update whose origins form a cycle
 * names no field.
 */
function resolveField({ doc, map, mapName, fresh, fieldOf }: FieldChains, start: DecodedItem): string | null {
	const chain: DecodedItem[] = [];
	const seen = new Set<DecodedItem>();
	let field: string | null = null;
	for (let item: DecodedItem | undefined = start; item && !seen.has(item); ) {
		if (fieldOf.has(item)) {
			field = fieldOf.get(item)!;
			break;
		}
		seen.add(item);
		chain.push(item);
		// A decoded first write names its root map by string (the type does not exist yet here).
		if (item.parentSub !== null && (item.parent as unknown) === mapName) {
			field = item.parentSub;
			break;
		}
		if (!item.origin) break;
		const local = fresh.get(idKey(item.origin));
		if (local) {
			item = local;
			continue;
		}
		field = fieldReplaced(doc, map, item.origin);
		break;
	}
	for (const item of chain) fieldOf.set(item, field);
	return field;
}

function idKey(id: Y.ID): string {
	return `${id.client}:${id.clock}`;
}
