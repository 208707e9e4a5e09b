import * as Y from 'yjs';
import { tryParseDocName } from '../../../src/lib/model/names';
import { loadDocumentState } from '../../store/compaction';
import type { Command } from '../cli-context';
import { CliError } from '../cli-error';
import { parseCommandArgs } from '../command-args';
import { documentToJson } from '../document-json';

const usage = 'export <docName>';

export const exportDocument: Command = {
	usage,
	summary: 'print one document’s shared types as JSON, for support',
	async run(args, { store, io }) {
		const { positionals } = parseCommandArgs(args, usage, {}, 1);
		const name = positionals[0]!;
		const state = await loadDocumentState(await store(), name);
		if (!state.update) {
			const hint = tryParseDocName(name) ? '' : ' (names look like account:<id>, visit:<id>, order:<id>)';
			throw new CliError(`no document named ${name}${hint}`);
		}
		const doc = new Y.Doc();
		Y.applyUpdate(doc, state.update);
		io.stdout.write(`${JSON.stringify(documentToJson(doc), null, 2)}\n`);
		doc.destroy();
	}
};
