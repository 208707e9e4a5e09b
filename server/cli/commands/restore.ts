import { StockLedgerError, type StockLedger } from '../../inventory/stock-ledger';
import type { DocumentStore, WriteBatch } from '../../store/document-store';
import { readBackupFile, verifyBackupFile, type BackupEntry } from '../backup-format';
import type { Command } from '../cli-context';
import { CliError } from '../cli-error';
import { parseCommandArgs } from '../command-args';
import { sqliteInUse } from '../sqlite-in-use';

const usage = 'restore <file> [--force]';
/** Documents per store write: big enough to be quick, small enough for any backend's statement limits. */
const DOCUMENTS_PER_WRITE = 100;

export const restore: Command = {
	usage,
	summary: 'load a backup into an empty store, with the relay stopped; --force merges it into a store that has data',
	async run(args, { store: openStore, ledger: openLedger, io, sqliteFile }) {
		const { positionals, values } = parseCommandArgs(args, usage, { force: { type: 'boolean', default: false } }, 1);
		const file = positionals[0]!;
		// A damaged or truncated file is refused before anything is written.
		const counts = await verifyBackupFile(file);
		// A running relay would keep serving, and persisting, documents from memory as they were.
		if (sqliteFile && sqliteInUse(sqliteFile)) throw new CliError(`${sqliteFile} is open in another process: stop the relay before restoring`);
		const store = await openStore();
		const ledger = await openLedger();
		const [names, users, warehouses] = await Promise.all([store.listDocumentNames(), store.listUsers(), ledger.warehouses()]);
		const hasData = names.length > 0 || users.length > 0 || warehouses.length > 0;
		if (hasData && !values.force) {
			throw new CliError(
				`the store already holds ${names.length} documents, ${users.length} users and the stock ledger of ${warehouses.length} warehouses: ` +
					'restore into an empty store (a new DATA_DIR or database), or add --force to merge the backup into it'
			);
		}
		const { skippedWarehouses } = await restoreEntries(store, ledger, readBackupFile(file), { merge: hasData });
		io.stdout.write(
			`restored ${counts.documents} documents, ${counts.users} users, ${counts.meta} settings and the stock ledger of ` +
				`${counts.ledger - skippedWarehouses.length} warehouses from ${file}${hasData ? ' (merged)' : ''}\n`
		);
		if (skippedWarehouses.length > 0) {
			io.stdout.write(
				`kept the stock ledger of ${skippedWarehouses.join(', ')} as it was: the backup's figures for ${skippedWarehouses.length === 1 ? 'that warehouse' : 'those warehouses'} ` +
					'were not restored (two ledgers added together would count their orders twice)\n'
			);
		}
	}
};

/**
 * Writes a backup's entries. Into an empty store that is the backup exactly. When
 * merging, each document's state is appended to what the store has (Yjs merges
 * the two, so nothing of either is lost), and users, settings and summaries the
 * store already has stay as they are; the backup adds only what is missing. The
 * stock ledger does not merge: a warehouse the ledger already holds keeps its
 * figures, and is named in `skippedWarehouses`.
 */
export async function restoreEntries(
	store: DocumentStore,
	ledger: StockLedger,
	entries: AsyncIterable<BackupEntry>,
	options: { merge: boolean }
): Promise<{ skippedWarehouses: string[] }> {
	const held = new Set(await ledger.warehouses());
	const skippedWarehouses: string[] = [];
	let batch: WriteBatch = { updates: [], summaries: [] };
	const flush = async () => {
		if (batch.updates.length === 0) return;
		await store.write(batch);
		batch = { updates: [], summaries: [] };
	};
	for await (const entry of entries) {
		if (entry.kind === 'user') {
			if (options.merge && (await store.getUserById(entry.user.id))) continue;
			try {
				await store.putUser(entry.user);
			} catch (err) {
				throw new CliError(`cannot restore user ${entry.user.username}: ${err instanceof Error ? err.message : String(err)}`);
			}
		} else if (entry.kind === 'meta') {
			if (options.merge && (await store.getMeta(entry.key)) !== undefined) continue;
			await store.putMeta(entry.key, entry.value);
		} else if (entry.kind === 'ledger') {
			const { warehouse } = entry.snapshot;
			if (options.merge && held.has(warehouse)) {
				skippedWarehouses.push(warehouse);
				continue;
			}
			try {
				await ledger.importWarehouse(entry.snapshot);
			} catch (err) {
				if (err instanceof StockLedgerError) throw new CliError(`cannot restore the stock ledger of ${warehouse}: ${err.message}`);
				throw err;
			}
		} else {
			if (entry.summary && entry.summary.name !== entry.name) throw new CliError(`the summary stored with ${entry.name} names ${entry.summary.name}`);
			batch.updates.push({ docName: entry.name, update: new Uint8Array(Buffer.from(entry.update, 'base64')) });
			if (entry.summary && !(options.merge && (await store.getSummary(entry.name)))) batch.summaries.push(entry.summary);
			if (batch.updates.length >= DOCUMENTS_PER_WRITE) await flush();
		}
	}
	await flush();
	return { skippedWarehouses };
}
