import { SECRET_META_KEY } from '../../auth/tokens';
import { VALIDATION_RULES_META_KEY } from '../../policy/validation-service';
import { loadDocumentState } from '../../store/compaction';
import type { DocumentStore } from '../../store/document-store';
import { writeBackupFile, type BackupEntry } from '../backup-format';
import type { Command } from '../cli-context';
import { parseCommandArgs } from '../command-args';

/** Meta entries a restored relay needs: the signing secret (signed-in devices stay signed in) and the validation rules. */
export const BACKED_UP_META_KEYS = [SECRET_META_KEY, VALIDATION_RULES_META_KEY] as const;

const usage = 'backup <file>';

/**
 * Safe while the relay runs. Each document is read in one query and so is a state it
 * really had; documents are not frozen together, but each is a CRDT of its own, so a
 * restore gives every replica a state to merge with, and devices send back anything
 * newer they hold. Users are read in one query too.
 */
export const backup: Command = {
	usage,
	summary: 'write every document, user and the signing secret to a gzip’d NDJSON file',
	async run(args, { store, io }) {
		const { positionals } = parseCommandArgs(args, usage, {}, 1);
		const file = positionals[0]!;
		const counts = await writeBackupFile(file, backupEntries(await store()));
		io.stdout.write(`backed up ${counts.documents} documents, ${counts.users} users and ${counts.meta} settings to ${file}\n`);
	}
};

export async function* backupEntries(store: DocumentStore): AsyncGenerator<BackupEntry> {
	for (const user of await store.listUsers()) yield { kind: 'user', user };
	for (const key of BACKED_UP_META_KEYS) {
		const value = await store.getMeta(key);
		if (value !== undefined) yield { kind: 'meta', key, value };
	}
	for (const name of await store.listDocumentNames()) {
		const state = await loadDocumentState(store, name);
		// Deleted between listing and reading: nothing to keep.
		if (!state.update) continue;
		yield { kind: 'document', name, update: Buffer.from(state.update).toString('base64'), summary: (await store.getSummary(name)) ?? null };
	}
}
