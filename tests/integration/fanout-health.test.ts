import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminStatus } from '../../server/http/admin-status';
import { RedisFanout } from '../../server/fanout/redis-fanout';
import { freshKeyPrefix, probeRedis, startRedisProxy } from '../helpers/redis';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import type { TcpProxy } from '../helpers/tcp-proxy';
import { waitFor } from '../helpers/wait';

const redis = await probeRedis('tests/integration/fanout-health.test.ts');

// Needs Redis (127.0.0.1:6379, or TEST_REDIS_URL). Where none answers, the group is skipped with the
// probe's one-line reason as its title. The in-process fan-out's conformance suite still checks
// `connected`; what /healthz says while Redis is cut has no stand-in without Redis.
describe.skipIf(!redis.reachable)(redis.reachable ? 'a relay whose link to Redis drops' : redis.reason, () => {
	let proxy: TcpProxy;
	let relay: TestRelay;

	beforeAll(async () => {
		const redisProxy = await startRedisProxy();
		proxy = redisProxy.proxy;
		relay = await startTestRelay({}, { fanout: () => new RedisFanout({ url: redisProxy.url, keyPrefix: freshKeyPrefix(), onError: () => {} }) });
	});
	afterAll(async () => {
		await relay?.stop();
		await proxy?.close();
	});

	const health = async () => {
		const res = await fetch(`${relay.server.url}/healthz`);
		return `${res.status} ${(await res.text()).trim()}`;
	};
	const gauge = async () => (await (await fetch(`${relay.server.url}/metrics`)).text()).match(/^outrider_fanout_connected (\d)$/m)?.[1];
	const fanoutStatus = async () => {
		const res = await fetch(`${relay.server.url}/api/admin/status`, { headers: { authorization: `Bearer ${await relay.login('admin')}` } });
		return ((await res.json()) as AdminStatus).fanout;
	};

	it('says so on /healthz, in /metrics and on the admin status while Redis is out of reach, and recovers with it', async () => {
		expect(await health()).toBe('200 ok');
		expect(await gauge()).toBe('1');
		expect(await fanoutStatus()).toEqual({ backend: 'Redis', connected: true });

		proxy.cut();
		await waitFor('health turns', async () => (await health()).startsWith('503'));
		expect(await health()).toBe('503 fan-out to other instances not connected');
		expect(await gauge()).toBe('0');
		expect(await fanoutStatus()).toEqual({ backend: 'Redis', connected: false });
		// Load balancers keep sending this instance its clients: it still serves and stores their documents.
		expect((await fetch(`${relay.server.url}/readyz`)).status).toBe(200);

		proxy.restore();
		await waitFor('health back', async () => (await health()) === '200 ok', 15_000);
		expect(await gauge()).toBe('1');
	});
});
