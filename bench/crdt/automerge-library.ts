/**
 * Automerge (@automerge/automerge 3) holding the same documents: a map per
 * document with the same keys as our Yjs contract; scalar strings as
 * ImmutableString (a last-writer-wins value, as a string in a Y.Map is),
 * the notes and report as collaborative text, nested records as a list of maps.
 */
import { importPeer, PEER_PACKAGES } from '../peer-modules';
import { SHAPES, type DocContent, type Kind, type RecordValues, type Scalar } from './field-day';
import { kindOf, type CrdtLibrary, type PlainDoc } from './library';

/** An Automerge document handle; opaque here. */
type AmDoc = object;
/** The mutable proxy inside a change callback. */
type Draft = Record<string, unknown>;

/** The part of @automerge/automerge this benchmark uses. */
interface AutomergeModule {
	from(state: Record<string, unknown>): AmDoc;
	change(doc: AmDoc, callback: (draft: Draft) => void): AmDoc;
	save(doc: AmDoc): Uint8Array;
	load(bytes: Uint8Array): AmDoc;
	getHeads(doc: AmDoc): string[];
	saveSince(doc: AmDoc, heads: string[]): Uint8Array;
	loadIncremental(doc: AmDoc, bytes: Uint8Array): AmDoc;
	splice(draft: Draft, path: string[], index: number, del: number, text?: string): void;
	toJS(doc: AmDoc): unknown;
	free(doc: AmDoc): void;
	ImmutableString: new (value: string) => object;
}

export async function loadAutomergeLibrary(): Promise<CrdtLibrary<AmDoc, string[]>> {
	const A = await importPeer<AutomergeModule>(PEER_PACKAGES.automerge);
	const scalar = (value: Scalar): unknown => (typeof value === 'string' ? new A.ImmutableString(value) : value);
	const scalars = (values: RecordValues): Record<string, unknown> => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, scalar(v)]));
	/** The plain value of what a draft holds (ImmutableString reads back as an object). */
	const plain = (value: unknown): unknown => (value !== null && typeof value === 'object' ? String(value) : value);

	/** Sets only the values that differ, as our setChanged does, so both libraries record the same writes. */
	const setChanged = (target: Draft, values: RecordValues) => {
		for (const [key, value] of Object.entries(values)) if (plain(target[key]) !== value) target[key] = scalar(value);
	};

	const create = (content: DocContent): AmDoc => {
		const shape = SHAPES[content.kind];
		const state: Record<string, unknown> = {
			meta: { schema: 1, kind: scalar(content.kind) },
			fields: scalars(content.fields),
			[shape.list]: content.records.map(scalars)
		};
		if (shape.text) state[shape.text] = content.text ?? '';
		if (content.kind === 'order') {
			state.allocation = Object.fromEntries(
				Object.entries(content.allocation).map(([lineId, a]) => [lineId, scalars({ confirmed: a.confirmed, backordered: a.backordered, reason: a.reason, at: a.at })])
			);
		}
		return A.from(state);
	};

	return {
		name: 'Automerge',
		create,
		save: (doc) => A.save(doc),
		load: (bytes) => A.load(bytes),
		version: (doc) => A.getHeads(doc),
		edit(doc, edit) {
			const shape = SHAPES[kindOf(edit.doc)];
			switch (edit.kind) {
				case 'set':
					return A.change(doc, (d) => setChanged(d.fields as Draft, edit.values));
				case 'type': {
					const key = shape.text;
					if (!key) throw new Error(`${edit.doc} has no text`);
					let current = doc;
					// One change per keystroke, as the text area writes one transaction per input event.
					for (const ch of edit.chars) {
						current = A.change(current, (d) => A.splice(d, [key], (d[key] as string).length, 0, ch));
					}
					return current;
				}
				case 'add':
					return A.change(doc, (d) => {
						(d[shape.list] as unknown[]).push(scalars(edit.record));
					});
				case 'update':
					return A.change(doc, (d) => {
						const record = (d[shape.list] as Draft[]).find((r) => plain(r.id) === edit.id);
						if (record) setChanged(record, edit.values);
					});
			}
		},
		changesSince: (doc, since) => A.saveSince(doc, since),
		applyChanges: (doc, changes) => A.loadIncremental(doc, changes),
		read(doc, kind: Kind): PlainDoc {
			const shape = SHAPES[kind];
			const json = JSON.parse(JSON.stringify(A.toJS(doc))) as Record<string, unknown>;
			return {
				meta: json.meta as Record<string, unknown>,
				fields: json.fields as Record<string, unknown>,
				text: shape.text ? (json[shape.text] as string) : null,
				records: json[shape.list] as Array<Record<string, unknown>>,
				allocation: (json.allocation as Record<string, unknown> | undefined) ?? {}
			};
		},
		free: (doc) => A.free(doc)
	};
}
