import { SECRET_META_KEY } from '../../auth/tokens';
import { VALIDATION_RULES_META_KEY } from '../../policy/validation-service';
import type { StockLedger } from '../../inventory/stock-ledger';
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
 * newer they hold. Users are read in one query too, and each warehouse of the stock
 * ledger in one transaction.
 */
export const backup: Command = {
	usage,
	summary: 'write every document, user, the signing secret and the stock ledger to a gzip’d NDJSON file',
	async run(args, { store, ledger, io }) {
		const { positionals } = parseCommandArgs(args, usage, {}, 1);
		const file = positionals[0]!;
		const counts = await writeBackupFile(file, backupEntries(await store(), await ledger()));
		io.stdout.write(
			`backed up ${counts.documents} documents, ${counts.users} users, ${counts.meta} settings and the stock ledger of ${counts.ledger} warehouses to ${file}\n`
		);
	}
};

export async function* backupEntries(store: DocumentStore, ledger: StockLedger): AsyncGenerator<BackupEntry> {
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
	// The ledger after the documents, never before: an order decided in between is then
	// held by the restored ledger while its document still says submitted, and is given
	// the same decision when it comes back. The other way round, its document could say
	// confirmed to a ledger that never saw it, and its units would be sold again.
	for (const warehouse of await ledger.warehouses()) yield { kind: 'ledger', snapshot: await ledger.exportWarehouse(warehouse) };
}
