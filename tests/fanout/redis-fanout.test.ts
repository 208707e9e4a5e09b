import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisFanout } from '../../server/fanout/redis-fanout';
import { freshKeyPrefix, probeRedis, startRedisProxy, TEST_REDIS_URL } from '../helpers/redis';
import { waitFor } from '../helpers/wait';
import { describeFanoutConformance } from './conformance';

const redis = await probeRedis('tests/fanout/redis-fanout.test.ts');

// Needs a Redis server (127.0.0.1:6379, or TEST_REDIS_URL). Where none runs, the groups are
// skipped with the probe's one-line reason as their title; the in-process suite still runs.
if (redis.reachable) {
	describeFanoutConformance('Redis', {
		newGroup() {
			const keyPrefix = freshKeyPrefix();
			return {
				async join() {
					const fanout = new RedisFanout({ url: TEST_REDIS_URL, keyPrefix });
					await fanout.open();
					return fanout;
				}
			};
		}
	});
}

// Needs Redis (127.0.0.1:6379, or TEST_REDIS_URL). Where none answers, the group is skipped with the
// probe's one-line reason as its title; the in-process fan-out runs the same conformance suite.
describe.skipIf(!redis.reachable)(redis.reachable ? 'RedisFanout' : redis.reason, () => {
	const admin = new Redis(TEST_REDIS_URL);
	afterAll(() => admin.quit());

	it('uses one channel per document under its key prefix', async () => {
		const keyPrefix = freshKeyPrefix();
		const fanout = new RedisFanout({ url: TEST_REDIS_URL, keyPrefix });
		await fanout.open();
		try {
			await fanout.subscribe('account:north-1', { receive: () => {} });
			const channels = await admin.pubsub('CHANNELS', `${keyPrefix}*`);
			expect(channels).toEqual([`${keyPrefix}doc:account:north-1`]);
			await fanout.unsubscribe('account:north-1');
			await waitFor('channel gone', async () => (await admin.pubsub('CHANNELS', `${keyPrefix}*`)).length === 0);
		} finally {
			await fanout.close();
		}
	});

	it('after its subscriber connection is cut, says messages were missed and hears again', async () => {
		const keyPrefix = freshKeyPrefix();
		const publisher = new RedisFanout({ url: TEST_REDIS_URL, keyPrefix });
		const listener = new RedisFanout({ url: TEST_REDIS_URL, keyPrefix });
		await publisher.open();
		await listener.open();
		try {
			const heard: string[] = [];
			let missed = 0;
			await listener.subscribe('account:x', { receive: (m) => heard.push(new TextDecoder().decode(m)), missed: () => missed++ });
			const clients = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
			const id = clients
				.split('\n')
				.find((line) => line.includes(` name=${listener.subscriberConnectionName} `))
				?.match(/^id=(\d+)/)?.[1];
			expect(id).toBeDefined();
			await admin.call('CLIENT', 'KILL', 'ID', id!);
			await waitFor('missed reported after the reconnect', () => missed === 1, 10_000);
			publisher.publish('account:x', new TextEncoder().encode('after the cut'));
			await waitFor('heard again', () => heard.includes('after the cut'));
		} finally {
			await publisher.close();
			await listener.close();
		}
	});

	it('says it is not connected while Redis is out of reach, and connected again once it is back', async () => {
		const { proxy, url } = await startRedisProxy();
		const fanout = new RedisFanout({ url, keyPrefix: freshKeyPrefix(), onError: () => {} });
		try {
			await fanout.open();
			let missed = 0;
			await fanout.subscribe('account:x', { receive: () => {}, missed: () => missed++ });
			expect(fanout.connected).toBe(true);
			proxy.cut();
			await waitFor('not connected', () => !fanout.connected);
			proxy.restore();
			await waitFor('connected again', () => fanout.connected, 10_000);
			await waitFor('missed reported', () => missed === 1, 10_000);
		} finally {
			await fanout.close();
			await proxy.close();
		}
	});

	it('refuses to open with a clear error when Redis is not there', async () => {
		// Port 1 on loopback: nothing listens, the connection is refused at once.
		const fanout = new RedisFanout({ url: 'redis://127.0.0.1:1', keyPrefix: freshKeyPrefix() });
		await expect(fanout.open()).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1 is not reachable/);
		await fanout.close();
	});
});
