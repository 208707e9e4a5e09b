import type { DocumentStore } from '../store/document-store';
import { ValidationRulesSchema, type ValidationRule } from './validation-rules';

export const VALIDATION_RULES_META_KEY = 'validation.rules';

/** The validation rules in force, kept in the store so every instance and restart agrees. */
export class ValidationRules {
	private constructor(
		private readonly store: DocumentStore,
		private rules: readonly ValidationRule[]
	) {}

	static async load(store: DocumentStore): Promise<ValidationRules> {
		const raw = await store.getMeta(VALIDATION_RULES_META_KEY);
		const parsed = raw ? ValidationRulesSchema.safeParse(JSON.parse(raw)) : undefined;
		return new ValidationRules(store, parsed?.success ? parsed.data : []);
	}

	get current(): readonly ValidationRule[] {
		return this.rules;
	}

	/** Validates and stores new rules; throws a ZodError for input that is not a rule list. */
	async replace(input: unknown): Promise<readonly ValidationRule[]> {
		const rules = ValidationRulesSchema.parse(input);
		await this.store.putMeta(VALIDATION_RULES_META_KEY, JSON.stringify(rules));
		this.rules = rules;
		return rules;
	}
}
