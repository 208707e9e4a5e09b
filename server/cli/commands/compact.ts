import { compactDocument } from '../../store/compaction';
import type { Command } from '../cli-context';
import { parseCommandArgs } from '../command-args';

export const compact: Command = {
	usage: 'compact',
	summary: 'fold each document’s update log into one row (safe while the relay runs)',
	async run(args, { store: openStore, io }) {
		parseCommandArgs(args, 'compact', {}, 0);
		const store = await openStore();
		const names = await store.listDocumentNames();
		let folded = 0;
		let rows = 0;
		// One document at a time: compaction only replaces rows it read, so the relay may keep writing.
		for (const name of names) {
			const result = await compactDocument(store, name);
			if (!result) continue;
			folded++;
			rows += result.before;
		}
		io.stdout.write(`compacted ${folded} of ${names.length} documents (${rows} rows became ${folded})\n`);
	}
};
