import * as Y from 'yjs';

/**
 * Every shared type of a document as plain JSON. A document rebuilt from updates
 * does not know the kind of its top-level types until asked for them by kind, so
 * the kind is read from the content: keys make a map, characters a text, anything
 * else an array (documents here hold no XML types).
 */
export function documentToJson(doc: Y.Doc): Record<string, unknown> {
	const json: Record<string, unknown> = {};
	for (const name of [...doc.share.keys()].sort()) json[name] = readSharedType(doc, name);
	return json;
}

function readSharedType(doc: Y.Doc, name: string): unknown {
	const type = doc.share.get(name)!;
	if (type instanceof Y.Map || type._map.size > 0) return doc.getMap(name).toJSON();
	if (type instanceof Y.Text) return type.toString();
	if (type instanceof Y.Array) return type.toJSON();
	const content = firstLiveContent(type);
	if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) return doc.getText(name).toString();
	return doc.getArray(name).toJSON();
}

function firstLiveContent(type: { _start: Y.Item | null }): unknown {
	for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return item.content;
	return undefined;
}
