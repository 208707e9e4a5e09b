import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/** The machine's Redis, as issue 8 specifies; TEST_REDIS_URL points elsewhere. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export interface TestRedis {
	reachable: boolean;
	/** Why the tests of a file are skipped, when they are. */
	reason: string;
}

/**
 * Whether Redis answers. Each test file calls this once at top level and skips
 * its Redis tests with one explicit line when it does not.
 */
export async function probeRedis(file: string): Promise<TestRedis> {
	const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
	client.on('error', () => {});
	try {
		await client.connect();
		await client.ping();
		return { reachable: true, reason: '' };
	} catch (error) {
		const reason = `Redis at ${TEST_REDIS_URL} is not reachable (${error instanceof Error ? error.message : String(error)}): skipping the Redis tests of ${file}`;
		console.warn(reason);
		return { reachable: false, reason };
	} finally {
		client.disconnect();
	}
}

/** A channel prefix no other test uses, so tests running at once never hear each other. */
export function freshKeyPrefix(): string {
	return `outrider-test-${randomBytes(6).toString('hex')}:`;
}

/** The test Redis behind a TCP proxy a test can cut and restore; `url` reaches Redis through it. */
export async function startRedisProxy(): Promise<{ proxy: TcpProxy; url: string }> {
	const target = new URL(TEST_REDIS_URL);
	const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
	const url = new URL(TEST_REDIS_URL);
	url.hostname = '127.0.0.1';
	url.port = String(proxy.port);
	return { proxy, url: url.href };
}
