import { afterEach, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../../server/threads/worker-client';

const clients: WorkerClient[] = [];
afterEach(async () => {
	for (const client of clients.splice(0)) await client.close();
});

function echoThread(reviveError?: ConstructorParameters<typeof WorkerClient>[0]['reviveError']): WorkerClient {
	const client = new WorkerClient({ module: new URL('../../helpers/echo-thread.ts', import.meta.url), workerData: null, label: 'the echo thread', reviveError });
	clients.push(client);
	return client;
}

describe('WorkerClient', () => {
	it('answers calls in the order sent, even when an earlier one takes longer', async () => {
		const client = echoThread();
		const answered: unknown[] = [];
		await Promise.all([
			client.call({ kind: 'slow', value: 1 }).then((v) => answered.push(v)),
			client.call({ kind: 'echo', value: 2 }).then((v) => answered.push(v)),
			client.call({ kind: 'echo', value: { nested: [3] } }).then((v) => answered.push(v))
		]);
		expect(answered).toEqual([1, 2, { nested: [3] }]);
	});

	it('brings back a thrown error with its message and fields, as the class the caller rebuilds', async () => {
		class Revived extends Error {}
		const client = echoThread((error) => Object.assign(new Revived(error.message), { tag: error.fields.tag, name: error.name }));
		const error = await client.call({ kind: 'throw', value: 'refused' }).catch((err: unknown) => err);
		expect(error).toBeInstanceOf(Revived);
		expect(error).toMatchObject({ message: 'refused', tag: 'from the thread', name: 'TaggedError' });
		expect(await client.call({ kind: 'echo', value: 'still here' })).toBe('still here');
	});

	it('fails only the call whose answer cannot be copied back, and the thread goes on', async () => {
		const client = echoThread();
		await expect(client.call({ kind: 'uncopyable', value: 1 })).rejects.toThrow(/could not be cloned/);
		expect(await client.call({ kind: 'echo', value: 'next' })).toBe('next');
	});

	it('refuses a call that cannot be sent, without losing the ones after it', async () => {
		const client = echoThread();
		await expect(client.call({ kind: 'echo', value: () => 1 })).rejects.toThrow(/could not be cloned/);
		expect(await client.call({ kind: 'echo', value: 'after' })).toBe('after');
	});

	it('rejects what a dying thread had not answered, and the next call starts a new thread', async () => {
		const client = echoThread();
		const [died, queued] = await Promise.allSettled([client.call({ kind: 'die' }), client.call({ kind: 'echo', value: 'queued' })]);
		expect(died).toMatchObject({ status: 'rejected', reason: { message: 'the echo thread exited (3)' } });
		expect(queued.status).toBe('rejected');
		expect(await client.call({ kind: 'echo', value: 'again' })).toBe('again');
	});

	it('refuses calls once closed', async () => {
		const client = echoThread();
		expect(await client.call({ kind: 'echo', value: 1 })).toBe(1);
		await client.close();
		await expect(client.call({ kind: 'echo', value: 2 })).rejects.toThrow('the echo thread is closed');
	});
});
