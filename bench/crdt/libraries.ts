import { missingPeers, PEER_PACKAGES } from '../peer-modules';
import { loadAutomergeLibrary } from './automerge-library';
import type { AnyCrdtLibrary } from './library';
import { yjsLibrary } from './yjs-library';

/** The libraries compared, by the id the child processes take. */
export const LIBRARIES = {
	yjs: { label: 'Yjs', load: async () => yjsLibrary as unknown as AnyCrdtLibrary, missing: () => [] as string[] },
	automerge: {
		label: 'Automerge',
		load: async () => (await loadAutomergeLibrary()) as unknown as AnyCrdtLibrary,
		missing: () => missingPeers([PEER_PACKAGES.automerge])
	}
} as const;

export type LibraryId = keyof typeof LIBRARIES;

export function libraryId(value: string | undefined): LibraryId {
	if (value === 'yjs' || value === 'automerge') return value;
	throw new Error(`unknown CRDT library ${String(value)}; known: ${Object.keys(LIBRARIES).join(', ')}`);
}
