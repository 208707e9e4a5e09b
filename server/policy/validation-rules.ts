import { z } from 'zod';
import type * as Y from 'yjs';

/**
 * Server-side rules a document should satisfy. A document that breaks one is
 * never dropped or blocked: it carries an `attention` entry the device shows
 * until someone fixes it.
 */
export const ValidationRuleSchema = z.object({
	id: z.string().regex(/^[A-Za-z0-9_.-]+$/),
	kind: z.enum(['account', 'visit', 'order']),
	field: z.string().min(1),
	check: z.enum(['required']),
	message: z.string().optional()
});
export const ValidationRulesSchema = z.array(ValidationRuleSchema).max(500);
export type ValidationRule = z.infer<typeof ValidationRuleSchema>;

export interface RuleFinding {
	field: string;
	message: string;
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Each rule of this kind that the document breaks now, by rule id. */
export function evaluateRules(kind: string, doc: Y.Doc, rules: readonly ValidationRule[]): Map<string, RuleFinding> {
	const fields = doc.getMap('fields');
	const findings = new Map<string, RuleFinding>();
	for (const rule of rules) {
		if (rule.kind !== kind) continue;
		if (rule.check === 'required' && isBlank(fields.get(rule.field))) {
			findings.set(rule.id, { field: rule.field, message: rule.message ?? `${rule.field} is required` });
		}
	}
	return findings;
}
