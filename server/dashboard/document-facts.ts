import * as Y from 'yjs';
import { listAttention, listConflicts } from '../../src/lib/model';
import { tryParseDocName } from '../../src/lib/model/names';
import { evaluateRules, type ValidationRule } from '../policy/validation-rules';
import { loadDocumentState } from '../store/compaction';
import type { DocumentStore, DocumentSummary } from '../store/document-store';

/** What dashboards and notifications need from inside a document, beyond its summary row. */
export interface DocumentFacts {
	/** The `status` field of an account, visit or order; null for other kinds. */
	status: string | null;
	/** An account's price list; null for other kinds. */
	priceList: string | null;
	/** Messages of the validation flags set now (`attention`). */
	flags: string[];
	openConflicts: number;
}

/**
 * With `rules`, flags are what those rules say of the document now, which is what
 * the relay writes into `attention` when it next loads it; without, `attention` as stored.
 */
export function readFacts(name: string, doc: Y.Doc, rules?: readonly ValidationRule[]): DocumentFacts {
	const kind = tryParseDocName(name)?.kind;
	const fields = doc.getMap('fields');
	const hasFields = kind === 'account' || kind === 'visit' || kind === 'order';
	const status = fields.get('status');
	const priceList = fields.get('priceList');
	return {
		status: hasFields && typeof status === 'string' ? status : null,
		priceList: kind === 'account' && typeof priceList === 'string' ? priceList : null,
		flags: !hasFields ? [] : rules ? [...evaluateRules(kind, doc, rules).values()].map((f) => f.message) : listAttention(doc).map((a) => a.message),
		openConflicts: hasFields ? listConflicts(doc, { status: 'open' }).length : 0
	};
}

/** Documents read from the store at once when many changed. */
const LOAD_CONCURRENCY = 8;

/**
 * Facts of many documents without keeping them in memory: a document the relay
 * holds is read live; any other is read from the store once per version (its
 * summary's `updatedAt`, which changes with every committed change) and set of
 * validation rules, and the facts kept, so a dashboard polled every few seconds
 * reads only what changed.
 */
export class DocumentFactsCache {
	private readonly cache = new Map<string, { version: string; rules: readonly ValidationRule[]; facts: DocumentFacts }>();

	constructor(
		private readonly store: DocumentStore,
		/** The live document when the relay has it in memory. */
		private readonly inMemory: (name: string) => Y.Doc | undefined,
		/** The validation rules in force (a new array whenever they change). */
		private readonly rules: () => readonly ValidationRule[] = () => []
	) {}

	async factsOf(summaries: readonly DocumentSummary[]): Promise<Map<string, DocumentFacts>> {
		const result = new Map<string, DocumentFacts>();
		const toLoad: DocumentSummary[] = [];
		const rules = this.rules();
		for (const summary of summaries) {
			const live = this.inMemory(summary.name);
			const cached = this.cache.get(summary.name);
			if (live) result.set(summary.name, readFacts(summary.name, live));
			else if (cached && cached.version === summary.updatedAt && cached.rules === rules) result.set(summary.name, cached.facts);
			else toLoad.push(summary);
		}
		const worker = async () => {
			for (let summary = toLoad.shift(); summary; summary = toLoad.shift()) {
				const facts = await this.load(summary.name, rules);
				this.cache.set(summary.name, { version: summary.updatedAt, rules, facts });
				result.set(summary.name, facts);
			}
		};
		await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
		return result;
	}

	private async load(name: string, rules: readonly ValidationRule[]): Promise<DocumentFacts> {
		const { update } = await loadDocumentState(this.store, name);
		const doc = new Y.Doc();
		try {
			if (update) Y.applyUpdate(doc, update);
			return readFacts(name, doc, rules);
		} finally {
			doc.destroy();
		}
	}
}
