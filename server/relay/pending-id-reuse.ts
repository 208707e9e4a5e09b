import * as Y from 'yjs';
import type { DecodedUpdate } from '../policy/field-conflicts';

type DecodedStruct = DecodedUpdate['structs'][number];

/**
 * Whether `update` carries, under the id of a change the document holds back
 * (one whose dependencies have not arrived), other content than that change.
 * Yjs takes ids as unique: once one of the two is taken in, the document and
 * what it encodes part ways, and a copy loaded from the document's own state
 * shows other text than the document. Only a forged or damaged update does
 * this; a client sending the held-back change again sends the same content.
 */
export function reusesPendingIds(doc: Y.Doc, update: DecodedUpdate): boolean {
	const pending = doc.store.pendingStructs;
	if (!pending) return false;
	const held = new Map<number, DecodedStruct[]>();
	// Yjs keeps what it holds back in its v2 encoding.
	for (const struct of Y.decodeUpdateV2(pending.update).structs) {
		if (struct instanceof Y.Skip) continue;
		const list = held.get(struct.id.client) ?? [];
		list.push(struct);
		held.set(struct.id.client, list);
	}
	const elements = new Map<DecodedStruct, unknown[]>();
	for (const struct of update.structs) {
		if (struct instanceof Y.Skip) continue;
		for (const other of held.get(struct.id.client) ?? []) {
			const from = Math.max(struct.id.clock, other.id.clock);
			const to = Math.min(struct.id.clock + struct.length, other.id.clock + other.length);
			for (let clock = from; clock < to; clock++) {
				const mine = describeClock(struct, clock, elements);
				const theirs = describeClock(other, clock, elements);
				if (mine !== undefined && theirs !== undefined && mine !== theirs) return true;
			}
		}
	}
	return false;
}

/**
 * What one clock of a struct says: where it goes and what it holds. Undefined for
 * deleted content, which a client may send again as collected garbage.
 */
function describeClock(struct: DecodedStruct, clock: number, elements: Map<DecodedStruct, unknown[]>): string | undefined {
	if (!(struct instanceof Y.Item) || struct.content instanceof Y.ContentDeleted) return undefined;
	const offset = clock - struct.id.clock;
	// A struct's later clocks follow its earlier ones: as Yjs writes the part of a split struct.
	const origin = offset === 0 ? struct.origin : Y.createID(struct.id.client, clock - 1);
	// The parent is written only when neither neighbour is, and then it is the same for every clock.
	const parent = origin || struct.rightOrigin ? null : struct.parent;
	let values = elements.get(struct);
	if (!values) {
		values = contentElements(struct.content);
		elements.set(struct, values);
	}
	return JSON.stringify([origin, struct.rightOrigin, parent, struct.parentSub, values[offset] ?? null]);
}

function contentElements(content: Y.Item['content']): unknown[] {
	if (content instanceof Y.ContentType) return [`type:${content.type.constructor.name}`];
	if (content instanceof Y.ContentFormat) return [`format:${content.key}:${JSON.stringify(content.value)}`];
	if (content instanceof Y.ContentDoc) return [`doc:${content.doc?.guid ?? ''}`];
	if (content instanceof Y.ContentBinary) return [`binary:${Array.from(content.content).join(',')}`];
	return content.getContent();
}
