/**
 * The CRDT benchmark's phases for one library: the server's documents built
 * and saved (encode size), loaded back (load time), every rep's offline day
 * applied on their device copies, the changes they send on reconnect, and
 * the server merging them all.
 */
import { createHash } from 'node:crypto';
import { median, round } from '../markdown';
import type { FieldDay, Kind } from './field-day';
import { kindOf, type CrdtLibrary } from './library';

export interface LibraryFigures {
	library: string;
	documents: number;
	/** Creating every server document from its content, ms. */
	buildMs: number;
	/** Saved size of the morning's documents, bytes, in total and by kind. */
	encoded: { bytes: number; byKind: Record<string, { docs: number; bytes: number }> };
	/** Loading every morning document from its bytes, ms (median of `runs`). */
	load: { ms: number; runs: number[] };
	/** The reps' offline edits on their device copies, ms in total. */
	deviceEditMs: number;
	/** What all reps send on reconnect (changes since the morning, new documents whole), bytes. */
	syncBytes: number;
	syncBytesPerRep: { mean: number; max: number };
	/** The alternative of sending every touched document whole (saved), bytes. */
	syncWholeBytes: number;
	/** The server applying every rep's changes to its copies, ms. */
	mergeMs: number;
	/** Saved size of the server's documents after the merge, bytes. */
	encodedAfterMergeBytes: number;
	/** sha256 of the server's documents after the merge as canonical JSON: equal digests mean equal content. */
	contentDigest: string;
}

export interface MeasuredLibrary {
	figures: LibraryFigures;
	/** The morning's saved documents, for the memory probe. */
	morning: Array<{ name: string; bytes: Uint8Array }>;
}

export function measureLibrary<D, V>(lib: CrdtLibrary<D, V>, day: FieldDay, loadRuns: number, log: (line: string) => void): MeasuredLibrary {
	// The morning: the server's documents, saved as a store would keep them.
	let t0 = performance.now();
	const built = day.server.map((content) => ({ content, doc: lib.create(content) }));
	const buildMs = performance.now() - t0;
	const morning = built.map(({ content, doc }) => ({ name: content.name, bytes: lib.save(doc) }));
	for (const { doc } of built) lib.free(doc);
	const byKind: Record<string, { docs: number; bytes: number }> = {};
	for (const { name, bytes } of morning) {
		const entry = (byKind[kindOf(name)] ??= { docs: 0, bytes: 0 });
		entry.docs++;
		entry.bytes += bytes.length;
	}
	const bytesByName = new Map(morning.map((m) => [m.name, m.bytes]));
	log(`${lib.name}: ${morning.length} documents built in ${Math.round(buildMs)} ms, ${sum(morning.map((m) => m.bytes.length))} bytes`);

	const runs: number[] = [];
	for (let run = 0; run < loadRuns; run++) {
		t0 = performance.now();
		const loaded = morning.map((m) => lib.load(m.bytes));
		runs.push(performance.now() - t0);
		for (const doc of loaded) lib.free(doc);
	}
	log(`${lib.name}: load ${runs.map((ms) => Math.round(ms)).join(', ')} ms`);

	// The day: each rep's device starts from the morning's documents and works offline.
	let deviceEditMs = 0;
	const sent: Array<{ name: string; kind: 'changes' | 'new'; bytes: Uint8Array }> = [];
	const perRep: number[] = [];
	let syncWholeBytes = 0;
	for (const rep of day.reps) {
		const device = new Map<string, { doc: D; since: V | null }>();
		for (const name of rep.docs) {
			const doc = lib.load(bytesByName.get(name) as Uint8Array);
			device.set(name, { doc, since: lib.version(doc) });
		}
		const touched = new Set<string>();
		t0 = performance.now();
		for (const edit of rep.edits) {
			if (edit.kind === 'create') {
				device.set(edit.content.name, { doc: lib.create(edit.content), since: null });
				touched.add(edit.content.name);
				continue;
			}
			const held = device.get(edit.doc);
			if (!held) throw new Error(`${rep.rep} edits ${edit.doc}, which the device does not hold`);
			held.doc = lib.edit(held.doc, edit);
			touched.add(edit.doc);
		}
		deviceEditMs += performance.now() - t0;
		let repBytes = 0;
		for (const name of touched) {
			const held = device.get(name) as { doc: D; since: V | null };
			const bytes = held.since === null ? lib.save(held.doc) : lib.changesSince(held.doc, held.since);
			sent.push({ name, kind: held.since === null ? 'new' : 'changes', bytes });
			repBytes += bytes.length;
			syncWholeBytes += held.since === null ? bytes.length : lib.save(held.doc).length;
		}
		perRep.push(repBytes);
		for (const { doc } of device.values()) lib.free(doc);
	}
	log(`${lib.name}: ${day.reps.length} reps' days applied in ${Math.round(deviceEditMs)} ms, ${sum(perRep)} bytes to send`);

	// The evening: the server merges every rep's changes into its copies.
	const server = new Map<string, D>();
	for (const m of morning) server.set(m.name, lib.load(m.bytes));
	t0 = performance.now();
	for (const message of sent) {
		if (message.kind === 'new') server.set(message.name, lib.load(message.bytes));
		else server.set(message.name, lib.applyChanges(server.get(message.name) as D, message.bytes));
	}
	const mergeMs = performance.now() - t0;
	let encodedAfterMergeBytes = 0;
	const digest = createHash('sha256');
	for (const name of [...server.keys()].sort()) {
		const doc = server.get(name) as D;
		encodedAfterMergeBytes += lib.save(doc).length;
		digest.update(name).update(canonicalJson(lib.read(doc, kindOf(name) as Kind)));
		lib.free(doc);
	}
	log(`${lib.name}: merged in ${Math.round(mergeMs)} ms`);

	return {
		figures: {
			library: lib.name,
			documents: morning.length,
			buildMs: round(buildMs, 1),
			encoded: { bytes: sum(morning.map((m) => m.bytes.length)), byKind },
			load: { ms: round(median(runs), 1), runs: runs.map((r) => round(r, 1)) },
			deviceEditMs: round(deviceEditMs, 1),
			syncBytes: sum(perRep),
			syncBytesPerRep: { mean: Math.round(sum(perRep) / Math.max(1, perRep.length)), max: Math.max(0, ...perRep) },
			syncWholeBytes,
			mergeMs: round(mergeMs, 1),
			encodedAfterMergeBytes,
			contentDigest: digest.digest('hex')
		},
		morning
	};
}

function sum(values: number[]): number {
	return values.reduce((a, b) => a + b, 0);
}

/** JSON with object keys sorted, so two libraries' key orders do not matter. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value);
}

