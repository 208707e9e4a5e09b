import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import type { LedgerWarehouseSnapshot } from '../inventory/stock-ledger';
import { CliError } from './cli-error';

/**
 * A backup is gzip'd NDJSON: a header line, then one line per user, meta entry,
 * document and stock ledger warehouse, then an end line with the counts. Lines rather than a database file so
 * one format serves SQLite and PostgreSQL alike (a backup of one restores into the
 * other), it streams in constant memory, and support can read it with zcat and jq.
 * The end line is how a truncated file is told from a complete one.
 */
export const BACKUP_FORMAT = 'outrider-backup';
export const BACKUP_VERSION = 1;

const HeaderLine = z.object({ kind: z.literal('header'), format: z.literal(BACKUP_FORMAT), version: z.literal(BACKUP_VERSION), createdAt: z.string() });
const UserLine = z.object({
	kind: z.literal('user'),
	user: z.object({
		id: z.string().min(1),
		username: z.string().min(1),
		displayName: z.string(),
		role: z.enum(['rep', 'manager', 'admin']),
		territories: z.array(z.string()),
		passwordHash: z.string()
	})
});
const MetaLine = z.object({ kind: z.literal('meta'), key: z.string().min(1), value: z.string() });
const DocumentLine = z.object({
	kind: z.literal('document'),
	name: z.string().min(1),
	/** Every stored update of the document merged into one (Y.mergeUpdates), base64. */
	update: z.base64(),
	summary: z
		.object({
			name: z.string(),
			kind: z.string(),
			territory: z.string().nullable(),
			owner: z.string().nullable(),
			accountId: z.string().nullable(),
			day: z.string().nullable(),
			title: z.string(),
			updatedAt: z.string()
		})
		.nullable()
});
const Quantity = z.number().int().nonnegative();
const Quantities = z.record(z.string(), Quantity);
const Allocation = z.object({ confirmed: Quantity, backordered: Quantity, reason: z.string().nullable(), at: z.string(), fromVan: Quantity.optional() });
const OrderLine = z.object({ id: z.string(), sku: z.string(), qty: Quantity, fromVan: Quantity.optional() });
const LedgerSnapshot = z.object({
	warehouse: z.string().min(1),
	onHand: Quantities,
	allocated: Quantities,
	reconciled: Quantities,
	vanSettled: Quantities,
	vans: z.array(z.object({ userId: z.string().min(1), sku: z.string(), granted: Quantity, returned: Quantity, used: Quantity })),
	orders: z.array(
		z.object({
			orderId: z.string().min(1),
			userId: z.string().nullable(),
			writer: z.string().nullable(),
			lines: z.array(OrderLine),
			allocation: z.record(z.string(), Allocation),
			cancelled: z.boolean()
		})
	)
}) satisfies z.ZodType<LedgerWarehouseSnapshot>;
/** One warehouse of the stock ledger: without it a restored relay would sell again the units confirmed orders hold. */
const LedgerLine = z.object({ kind: z.literal('ledger'), snapshot: LedgerSnapshot });
// `ledger` defaults to 0: files written before backups carried the ledger have no such count, and still restore.
const EndLine = z.object({ kind: z.literal('end'), users: z.number().int(), meta: z.number().int(), documents: z.number().int(), ledger: z.number().int().default(0) });
const BodyLine = z.discriminatedUnion('kind', [UserLine, MetaLine, DocumentLine, LedgerLine]);

export type BackupHeader = z.infer<typeof HeaderLine>;
export type BackupEntry = z.infer<typeof BodyLine>;
export type BackupCounts = Omit<z.infer<typeof EndLine>, 'kind'>;

function noEntries(): BackupCounts {
	return { users: 0, meta: 0, documents: 0, ledger: 0 };
}

function count(counts: BackupCounts, entry: BackupEntry): void {
	if (entry.kind === 'user') counts.users++;
	else if (entry.kind === 'meta') counts.meta++;
	else if (entry.kind === 'document') counts.documents++;
	else counts.ledger++;
}

/**
 * Writes the header, `entries` and the end line to `file`, through a temporary file
 * renamed at the end, so an interrupted backup never leaves a file that looks whole.
 */
export async function writeBackupFile(file: string, entries: AsyncIterable<BackupEntry>): Promise<BackupCounts> {
	const counts = noEntries();
	async function* lines(): AsyncGenerator<string> {
		yield line({ kind: 'header', format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString() } satisfies BackupHeader);
		for await (const entry of entries) {
			count(counts, entry);
			yield line(entry);
		}
		yield line({ kind: 'end', ...counts });
	}
	const partial = `${file}.partial`;
	try {
		await pipeline(Readable.from(lines()), createGzip(), createWriteStream(partial, { flush: true }));
		await rename(partial, file);
	} catch (err) {
		await rm(partial, { force: true });
		throw err;
	}
	return counts;
}

function line(value: unknown): string {
	return `${JSON.stringify(value)}\n`;
}

/**
 * The entries of a backup file, in order. Throws CliError for a file that is not a
 * backup, a line that does not parse, or a missing or disagreeing end line; callers
 * that must not act on a damaged file read it through once with `verifyBackupFile` first.
 */
export async function* readBackupFile(file: string): AsyncGenerator<BackupEntry> {
	const source = createReadStream(file);
	const input = source.pipe(createGunzip());
	// pipe() does not pass a source error on; the line reader below must see it.
	source.once('error', (err) => input.destroy(err));
	const counts = noEntries();
	let number = 0;
	let ended = false;
	try {
		for await (const text of createInterface({ input, crlfDelay: Infinity })) {
			number++;
			if (text === '') continue;
			if (ended) throw new CliError(`${file} line ${number}: data after the end line`);
			const value = parseJson(text, file, number);
			if (number === 1) {
				const header = HeaderLine.safeParse(value);
				if (!header.success) throw new CliError(`${file} is not an Outrider backup (version ${BACKUP_VERSION})`);
				continue;
			}
			const end = EndLine.safeParse(value);
			if (end.success) {
				const { kind: _, ...declared } = end.data;
				if (declared.users !== counts.users || declared.meta !== counts.meta || declared.documents !== counts.documents || declared.ledger !== counts.ledger) {
					throw new CliError(`${file} is damaged: its end line counts ${JSON.stringify(declared)}, the file holds ${JSON.stringify(counts)}`);
				}
				ended = true;
				continue;
			}
			const entry = BodyLine.safeParse(value);
			if (!entry.success) throw new CliError(`${file} line ${number}: ${entry.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
			count(counts, entry.data);
			yield entry.data;
		}
	} catch (err) {
		if (err instanceof CliError) throw err;
		if ((err as { code?: string }).code === 'Z_DATA_ERROR') throw new CliError(`${file} is not an Outrider backup (not gzip data)`);
		throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
	}
	if (number === 0) throw new CliError(`${file} is empty`);
	if (!ended) throw new CliError(`${file} is incomplete: it has no end line (was the backup interrupted?)`);
}

/** Reads the whole file without acting on it; resolves to its counts, or throws as readBackupFile. */
export async function verifyBackupFile(file: string): Promise<BackupCounts> {
	const counts = noEntries();
	for await (const entry of readBackupFile(file)) count(counts, entry);
	return counts;
}

function parseJson(text: string, file: string, number: number): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new CliError(`${file} line ${number} is not JSON`);
	}
}
