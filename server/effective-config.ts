import type { RelayConfig } from './config';

const MASK = '********';
/** Settings whose whole value is a secret (AUTH_SECRET, and any password or secret added later). */
const SECRET_KEY = /secret|password/i;

/**
 * The configuration the server runs with, safe to print and to show on the admin
 * page: secrets are masked, and so are passwords inside connection URLs
 * (DATABASE_URL, REDIS_URL). Unset settings show as null rather than vanishing.
 */
export function maskedConfig(config: RelayConfig): Record<string, unknown> {
	return maskObject(config as unknown as Record<string, unknown>);
}

function maskObject(object: Record<string, unknown>): Record<string, unknown> {
	const masked: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(object)) {
		if (value === undefined || value === null) masked[key] = null;
		else if (SECRET_KEY.test(key)) masked[key] = MASK;
		else if (typeof value === 'string') masked[key] = maskUrlPassword(value);
		else if (typeof value === 'object' && !Array.isArray(value)) masked[key] = maskObject(value as Record<string, unknown>);
		else masked[key] = value;
	}
	return masked;
}

/** `postgres://app:s3cret@db/outrider` → `postgres://app:********@db/outrider`; anything else unchanged. */
export function maskUrlPassword(value: string): string {
	if (!value.includes('://')) return value;
	try {
		const url = new URL(value);
		if (url.password === '') return value;
		url.password = MASK;
		return url.toString();
	} catch {
		// Not a URL we can read: it may still hold a password, so show none of it.
		return MASK;
	}
}
