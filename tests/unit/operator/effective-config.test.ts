import { describe, expect, it } from 'vitest';
import { configWith } from '../../../server/config';
import { maskedConfig, maskUrlPassword } from '../../../server/effective-config';

describe('the effective configuration, as printed and shown to admins', () => {
	it('masks the signing secret and passwords inside connection URLs, and keeps everything else', () => {
		const config = configWith({
			authSecret: 'a-signing-secret-of-at-least-32-chars!',
			databaseUrl: 'postgres://outrider:pg%20secret@db.internal:5432/outrider?sslmode=require',
			redisUrl: 'redis://:redis-secret@cache:6379/0',
			dataDir: '/var/lib/outrider',
			field: { mapStyleUrl: 'https://tiles.example.com/style.json' }
		});
		const masked = maskedConfig(config);
		const text = JSON.stringify(masked);
		for (const secret of ['a-signing-secret', 'pg%20secret', 'pg secret', 'redis-secret']) expect(text).not.toContain(secret);
		expect(masked).toMatchObject({
			authSecret: '********',
			databaseUrl: 'postgres://outrider:********@db.internal:5432/outrider?sslmode=require',
			redisUrl: 'redis://:********@cache:6379/0',
			dataDir: '/var/lib/outrider',
			port: 3000,
			tokenTtlSeconds: config.tokenTtlSeconds,
			limits: config.limits,
			field: { mapStyleUrl: 'https://tiles.example.com/style.json', geofenceRadiusM: 200 }
		});
	});

	it('shows unset settings as null rather than leaving them out', () => {
		expect(maskedConfig(configWith({}))).toMatchObject({ authSecret: null, databaseUrl: null, redisUrl: null });
	});

	it('leaves URLs without a password exactly as written, and hides one it cannot read', () => {
		expect(maskUrlPassword('postgres://127.0.0.1:5432/test')).toBe('postgres://127.0.0.1:5432/test');
		expect(maskUrlPassword('./data')).toBe('./data');
		expect(maskUrlPassword('postgres://user:pass@[broken')).toBe('********');
	});
});
