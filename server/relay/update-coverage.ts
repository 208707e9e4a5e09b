import * as Y from 'yjs';
import type { DecodedUpdate } from '../policy/field-conflicts';

/**
 * Whether `parts` together hold every struct and every deletion of `update`.
 * Applying an update emits only what was new to the document, so when the
 * parts are what applying it emitted, anything not covered was already there.
 */
export function partsCover(parts: readonly Uint8Array[], update: DecodedUpdate): boolean {
	const runs = new Map<number, Array<{ clock: number; end: number }>>();
	const deletions: Array<Y.Snapshot['ds']> = [];
	for (const part of parts) {
		const decoded = Y.decodeUpdate(part);
		for (const struct of decoded.structs) {
			if (struct instanceof Y.Skip) continue;
			const list = runs.get(struct.id.client) ?? [];
			list.push({ clock: struct.id.clock, end: struct.id.clock + struct.length });
			runs.set(struct.id.client, list);
		}
		deletions.push(decoded.ds);
	}
	for (const list of runs.values()) mergeRuns(list);
	for (const struct of update.structs) {
		if (struct instanceof Y.Skip) continue;
		const { client, clock } = struct.id;
		const end = clock + struct.length;
		if (!(runs.get(client) ?? []).some((run) => run.clock <= clock && end <= run.end)) return false;
	}
	const emitted = Y.mergeDeleteSets(deletions);
	return Y.equalDeleteSets(emitted, Y.mergeDeleteSets([emitted, update.ds]));
}

/** Sorts and joins touching runs in place. */
function mergeRuns(list: Array<{ clock: number; end: number }>): void {
	list.sort((a, b) => a.clock - b.clock);
	let last = 0;
	for (let i = 1; i < list.length; i++) {
		const run = list[i]!;
		const previous = list[last]!;
		if (run.clock <= previous.end) previous.end = Math.max(previous.end, run.end);
		else list[++last] = run;
	}
	list.length = Math.min(list.length, last + 1);
}
