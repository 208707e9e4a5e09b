import { tryParseDocName } from '../model/names';

/** Which screen shows a document, for kinds that have one. */
export type DocScreen = { route: '/(app)/accounts/[id]' | '/(app)/visits/[id]' | '/(app)/orders/[id]'; id: string };

export function screenFor(name: string): DocScreen | null {
	const parsed = tryParseDocName(name);
	if (!parsed) return null;
	switch (parsed.kind) {
		case 'account':
			return { route: '/(app)/accounts/[id]', id: parsed.id };
		case 'visit':
			return { route: '/(app)/visits/[id]', id: parsed.id };
		case 'order':
			return { route: '/(app)/orders/[id]', id: parsed.id };
		default:
			return null;
	}
}
