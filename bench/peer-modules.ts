/**
 * The servers and CRDT libraries the benchmarks compare Outrider with live in
 * bench/'s own package.json, so the app's install (and CI) never pulls them.
 * They are loaded by name at run time and typed by the small interfaces their
 * callers declare, so type-checking the repository does not need them installed.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

/** Every package bench/package.json brings in for a comparison. */
export const PEER_PACKAGES = {
	automerge: '@automerge/automerge',
	hocuspocusServer: '@hocuspocus/server',
	hocuspocusProvider: '@hocuspocus/provider',
	hocuspocusSqlite: '@hocuspocus/extension-sqlite',
	yWebsocket: 'y-websocket',
	yLeveldb: 'y-leveldb'
} as const;

export const INSTALL_HINT = 'The comparison peers (y-websocket@2, Hocuspocus, Automerge) are not installed: run `npm --prefix bench install` to include them.';

/** The packages of `names` that bench/node_modules lacks. */
export function missingPeers(names: readonly string[]): string[] {
	return names.filter((name) => !existsSync(`${BENCH_DIR}node_modules/${name}/package.json`));
}

/** Every comparison peer that is missing, for run.ts's one-line notice. */
export function missingAnyPeer(): string[] {
	return missingPeers(Object.values(PEER_PACKAGES));
}

/** An ES module from bench/node_modules. The specifier is a variable on purpose: see the file comment. */
export async function importPeer<T>(name: string): Promise<T> {
	const specifier: string = name;
	return (await import(specifier)) as T;
}

/** A CommonJS module (or file inside one, e.g. `y-websocket/bin/utils`) from bench/node_modules. */
export function requirePeer<T>(name: string): T {
	return createRequire(import.meta.url)(name) as T;
}
