import type { DocumentSummary } from './document-store';

/** The summary table's columns, as both SQL backends name them. */
export interface SummaryRow {
	name: string;
	kind: string;
	territory: string | null;
	owner: string | null;
	account_id: string | null;
	day: string | null;
	title: string;
	updated_at: string;
}

export function summaryToRow(summary: DocumentSummary): SummaryRow {
	return {
		name: summary.name,
		kind: summary.kind,
		territory: summary.territory,
		owner: summary.owner,
		account_id: summary.accountId,
		day: summary.day,
		title: summary.title,
		updated_at: summary.updatedAt
	};
}

export function summaryFromRow(row: SummaryRow): DocumentSummary {
	return {
		name: row.name,
		kind: row.kind,
		territory: row.territory,
		owner: row.owner,
		accountId: row.account_id,
		day: row.day,
		title: row.title,
		updatedAt: row.updated_at
	};
}

export function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A plain Uint8Array view, so callers see the same type whatever the backend. */
export function toUint8Array(buffer: Buffer): Uint8Array {
	return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
