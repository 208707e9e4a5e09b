/**
 * Measures one CRDT library in a process of its own (so the other library's
 * heap and JIT state do not touch it): `library-process.ts <yjs|automerge>`,
 * size from BENCH_CRDT_SIZE (full or quick); writes the morning's documents
 * to BENCH_CRDT_MORNING for the memory probe.
 */
import { sendResult } from '../child-process';
import { buildFieldDay, FULL_DAY, QUICK_DAY } from './field-day';
import { LIBRARIES, libraryId } from './libraries';
import { measureLibrary } from './measure-library';
import { writeMorning } from './morning-file';

sendResult(async () => {
	const lib = await LIBRARIES[libraryId(process.argv[2])].load();
	const day = buildFieldDay(process.env.BENCH_CRDT_SIZE === 'quick' ? QUICK_DAY : FULL_DAY);
	const { figures, morning } = measureLibrary(lib, day, 5, (line) => process.stderr.write(`${line}\n`));
	const file = process.env.BENCH_CRDT_MORNING;
	if (file) writeMorning(file, morning);
	return figures;
});
