import { tryParseDocName } from '../model/names';

/** Which screen shows a document, for kinds that have one. */
export type DocScreen = { route: '/accounts/[id]' | '/visits/[id]' | '/orders/[id]'; id: string };

export function screenFor(name: string): DocScreen | null {
	const parsed = tryParseDocName(name);
	if (!parsed) return null;
	switch (parsed.kind) {
		case 'account':
			return { route: '/accounts/[id]', id: parsed.id };
		case 'visit':
			return { route: '/visits/[id]', id: parsed.id };
		case 'order':
			return { route: '/orders/[id]', id: parsed.id };
		default:
			return null;
	}
}
