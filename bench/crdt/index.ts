/**
 * Yjs vs Automerge on our documents: encode size, load time, a day of offline
 * edits by every rep merged into the server's copy, and memory. Each library
 * runs in a process of its own, memory in yet another fresh one.
 *
 * `npm run bench -- --only=crdt` (50 reps); `--quick` for 10.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkForResult } from '../child-process';
import { fmt, kib, ratio, round, table } from '../markdown';
import { INSTALL_HINT } from '../peer-modules';
import { writeResultsFile } from '../results-file';
import type { Benchmark, BenchOptions, BenchReport } from '../types';
import { buildFieldDay, countEdits, FULL_DAY, QUICK_DAY, type FieldDaySize } from './field-day';
import { LIBRARIES, type LibraryId } from './libraries';
import type { LibraryFigures } from './measure-library';
import type { MemoryFigures } from './memory-process';

const LIBRARY_PROCESS = fileURLToPath(new URL('./library-process.ts', import.meta.url));
const MEMORY_PROCESS = fileURLToPath(new URL('./memory-process.ts', import.meta.url));

export const crdtBenchmark: Benchmark = {
	name: 'crdt',
	description: 'Yjs vs Automerge on our accounts, visits and orders: encode size, load time, merging 50 reps\' offline day, memory',
	run: runCrdtBenchmark
};

interface LibraryOutcome {
	id: LibraryId;
	label: string;
	figures?: LibraryFigures;
	memory?: MemoryFigures;
	error?: string;
}

async function runCrdtBenchmark(options: BenchOptions): Promise<BenchReport> {
	const size: FieldDaySize = options.quick ? QUICK_DAY : FULL_DAY;
	const mode = options.quick ? 'quick' : 'full';
	const day = buildFieldDay(size);
	const edits = countEdits(day);
	options.log(`${size.reps} reps, ${day.server.length} documents on the server, ${JSON.stringify(edits)}`);
	const notes: string[] = [];
	const loadAtStart = loadavg().map((n) => round(n, 2));

	const outcomes: LibraryOutcome[] = [];
	const dir = mkdtempSync(join(tmpdir(), 'outrider-bench-crdt-'));
	try {
		for (const id of Object.keys(LIBRARIES) as LibraryId[]) {
			const library = LIBRARIES[id];
			const outcome: LibraryOutcome = { id, label: library.label };
			outcomes.push(outcome);
			const missing = library.missing();
			if (missing.length > 0) {
				outcome.error = `${missing.join(', ')} not installed`;
				notes.push(`${library.label} skipped: ${INSTALL_HINT}`);
				continue;
			}
			const morning = join(dir, `${id}.bin`);
			const log = (line: string) => options.log(`  ${line}`);
			try {
				outcome.figures = await forkForResult<LibraryFigures>(LIBRARY_PROCESS, {
					args: [id],
					env: { BENCH_CRDT_SIZE: mode, BENCH_CRDT_MORNING: morning },
					timeoutMs: 15 * 60_000,
					log
				});
				outcome.memory = await forkForResult<MemoryFigures>(MEMORY_PROCESS, { args: [id, morning], nodeFlags: ['--expose-gc'], timeoutMs: 10 * 60_000, log });
			} catch (err) {
				outcome.error = err instanceof Error ? err.message : String(err);
				options.log(`${library.label} failed: ${outcome.error}`);
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}

	const measured = outcomes.filter((o) => o.figures);
	const digests = new Set(measured.map((o) => o.figures?.contentDigest));
	const sameContent = measured.length > 1 ? digests.size === 1 : undefined;
	if (sameContent === false) notes.push('**Warning:** the libraries ended the day with different content; the comparison is not like for like.');

	const file = writeResultsFile('crdt', mode, loadAtStart, {
		size,
		documents: day.server.length,
		edits,
		sameContentAfterMerge: sameContent ?? null,
		libraries: outcomes
	});
	notes.push(`Results written to \`bench/results/${file}\`.`);
	return { markdown: render(outcomes, size, day.server.length, edits, sameContent, notes) };
}

function render(
	outcomes: LibraryOutcome[],
	size: FieldDaySize,
	documents: number,
	edits: Record<string, number>,
	sameContent: boolean | undefined,
	notes: string[]
): string {
	const yjs = outcomes.find((o) => o.id === 'yjs');
	const rows: Array<[string, (o: LibraryOutcome) => number | undefined, (n: number | undefined) => string]> = [
		['Encoded size, all documents (KiB)', (o) => o.figures?.encoded.bytes, (n) => kib(n)],
		['… per account / visit / order (bytes)', () => undefined, () => ''],
		['Load all documents from bytes (ms, median of 5)', (o) => o.figures?.load.ms, (n) => fmt(n, 0)],
		['Memory holding all documents loaded (MiB RSS)', (o) => o.memory?.rssMb, (n) => fmt(n, 1)],
		['… JS heap + external (MiB)', (o) => (o.memory ? o.memory.heapUsedMb + o.memory.externalMb : undefined), (n) => fmt(n, 1)],
		["Reps' offline edits on their devices (ms, all reps)", (o) => o.figures?.deviceEditMs, (n) => fmt(n, 0)],
		['Sent on reconnect, all reps (KiB)', (o) => o.figures?.syncBytes, (n) => kib(n)],
		['… per rep, mean (KiB)', (o) => o.figures?.syncBytesPerRep.mean, (n) => kib(n)],
		['… had each changed document been sent whole instead (KiB, all reps)', (o) => o.figures?.syncWholeBytes, (n) => kib(n)],
		["Server merges every rep's changes (ms)", (o) => o.figures?.mergeMs, (n) => fmt(n, 0)],
		['Encoded size after the merge (KiB)', (o) => o.figures?.encodedAfterMergeBytes, (n) => kib(n)]
	];
	const libs = outcomes;
	const head = ['measure', ...libs.map((o) => o.label + (o.error ? ' (not run)' : '')), ...libs.filter((o) => o.id !== 'yjs').map((o) => `${o.label} / Yjs`)];
	const body = rows.map(([label, value, show]) => {
		if (label.startsWith('… per account')) {
			const perKind = (o: LibraryOutcome) =>
				(['account', 'visit', 'order'] as const)
					.map((k) => {
						const entry = o.figures?.encoded.byKind[k];
						return entry ? String(Math.round(entry.bytes / entry.docs)) : '–';
					})
					.join(' / ');
			return [label, ...libs.map(perKind), ...libs.filter((o) => o.id !== 'yjs').map(() => '')];
		}
		return [label, ...libs.map((o) => show(value(o))), ...libs.filter((o) => o.id !== 'yjs').map((o) => ratio(value(o), yjs ? value(yjs) : undefined))];
	});
	const lines = [
		`${size.reps} reps, ${documents} documents on the server (per rep: ${size.accountsPerRep} accounts with 1–4 contacts and notes, ${size.pastVisitsPerRep} past visits with reports, ${size.visitsToday} visits today, ${size.pastOrdersPerRep} past orders with lines and allocations). The day, per rep, offline: check in and out of ${size.visitsToday} visits, tick their tasks and type the report keystroke by keystroke, take ${size.ordersToday} new orders line by line, edit ${size.accountEditsToday} accounts (phone, a line of notes, a new contact): ${edits.keystrokes ?? 0} keystrokes and ${(edits.set ?? 0) + (edits.add ?? 0) + (edits.update ?? 0) + (edits.create ?? 0)} other edits in all. On reconnect each device sends its changes since the morning (Yjs: an update against the morning's state vector; Automerge: saveSince the morning's heads; new orders whole) and the server applies them to its copies.`,
		'',
		table(head, body),
		''
	];
	if (sameContent !== undefined) lines.push(`Both libraries end the day with the same documents (canonical JSON digests ${sameContent ? 'equal' : '**differ**'}).`, '');
	lines.push(
		'Yjs documents are written through our model helpers (src/lib/model), typing through the text area\'s own splice helper. Automerge documents hold the same keys: scalar strings as ImmutableString (last writer wins, as in a Y.Map), notes and reports as Automerge text, contacts/tasks/lines as lists of maps. Memory is measured in a fresh process per library after loading every morning document and two forced GCs.',
		...outcomes.filter((o) => o.error).map((o) => `\n${o.label}: ${o.error}`),
		...notes.map((n) => `\n${n}`)
	);
	return lines.join('\n');
}
