/**
 * Readers for values that came out of a shared type. A document is merged from
 * whatever every peer wrote, so a field can be missing or of the wrong type; the
 * readers fall back to a neutral value and leave the complaint to validation rules.
 */

export type Scalar = string | number | boolean | null;

export function asString(value: unknown, fallback = ''): string {
	return typeof value === 'string' ? value : fallback;
}

export function asNullableString(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

export function asNumber(value: unknown, fallback = 0): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function asNullableNumber(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function asBoolean(value: unknown, fallback = false): boolean {
	return typeof value === 'boolean' ? value : fallback;
}

export function asOneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Quantities and money are integers by contract; a fraction here is a caller bug, not data. */
export function assertInteger(value: number, what: string): void {
	if (!Number.isInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}

/** Random URL-safe id; getRandomValues rather than randomUUID because the latter needs a secure context. */
export function newId(length = 16): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	let id = '';
	for (const byte of bytes) id += alphabet[byte & 63];
	return id;
}
