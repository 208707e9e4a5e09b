import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentFanout, FanoutSubscriber } from '../../server/fanout/document-fanout';
import { waitFor } from '../helpers/wait';

/**
 * Instances that share documents: every fan-out joined to one group hears the
 * others; fan-outs of different groups (another Redis prefix, another hub)
 * never do.
 */
export interface FanoutGroup {
	/** A new instance's fan-out in this group, opened. */
	join(): Promise<DocumentFanout>;
}

export interface FanoutFactory {
	newGroup(): FanoutGroup;
}

/** Records what one instance heard for one document. */
class Inbox implements FanoutSubscriber {
	readonly messages: string[] = [];
	receive(message: Uint8Array): void {
		this.messages.push(new TextDecoder().decode(message));
	}
}

const bytes = (text: string) => new TextEncoder().encode(text);

/**
 * The behaviour every fan-out must show. Tests never wait for silence: to show
 * that a message did NOT arrive, a later message from the same publisher (or one
 * sent after it was certainly delivered elsewhere) is awaited first, since
 * delivery keeps each publisher's order.
 */
export function describeFanoutConformance(name: string, factory: FanoutFactory): void {
	describe(`DocumentFanout conformance: ${name}`, () => {
		const opened: DocumentFanout[] = [];

		async function instances(count: number, group = factory.newGroup()): Promise<DocumentFanout[]> {
			const list: DocumentFanout[] = [];
			for (let i = 0; i < count; i++) list.push(await group.join());
			opened.push(...list);
			return list;
		}

		afterEach(async () => {
			await Promise.all(opened.map((f) => f.close()));
			opened.length = 0;
		});

		it('says it has peers once another instance joined its group (work only peers read is then built)', async () => {
			const [a, b] = await instances(2);
			expect(a!.hasPeers).toBe(true);
			expect(b!.hasPeers).toBe(true);
		});

		it('says it is connected once open, and no longer once closed', async () => {
			const [a] = await instances(1);
			expect(a!.connected).toBe(true);
			await a!.close();
			expect(a!.connected).toBe(false);
		});

		it('delivers what one instance publishes to every other instance subscribed to the document, byte for byte', async () => {
			const [a, b, c] = await instances(3);
			const atB = new Inbox();
			const atC = new Inbox();
			await b!.subscribe('account:x', atB);
			await c!.subscribe('account:x', atC);
			const message = new Uint8Array([0, 1, 2, 255, 128, 0, 7]);
			let received: Uint8Array | undefined;
			await b!.subscribe('account:y', { receive: (m) => (received = m) });
			a!.publish('account:y', message);
			a!.publish('account:x', bytes('hello'));
			await waitFor('both subscribers heard it', () => atB.messages.length === 1 && atC.messages.length === 1);
			expect(atB.messages).toEqual(['hello']);
			expect(atC.messages).toEqual(['hello']);
			expect(received).toBeInstanceOf(Uint8Array);
			expect([...received!]).toEqual([...message]);
		});

		it('never delivers a message back to the instance that published it', async () => {
			const [a, b] = await instances(2);
			const atA = new Inbox();
			const atB = new Inbox();
			await a!.subscribe('account:x', atA);
			await b!.subscribe('account:x', atB);
			a!.publish('account:x', bytes('from a'));
			await waitFor('b heard a', () => atB.messages.length === 1);
			b!.publish('account:x', bytes('from b'));
			await waitFor('a heard b', () => atA.messages.length === 1);
			expect(atA.messages).toEqual(['from b']);
			expect(atB.messages).toEqual(['from a']);
		});

		it('keeps each publisher order, across documents too', async () => {
			const [a, b] = await instances(2);
			const heard: string[] = [];
			await b!.subscribe('account:x', { receive: (m) => heard.push(`x${new TextDecoder().decode(m)}`) });
			await b!.subscribe('account:y', { receive: (m) => heard.push(`y${new TextDecoder().decode(m)}`) });
			const sent: string[] = [];
			for (let i = 0; i < 200; i++) {
				const doc = i % 3 === 0 ? 'y' : 'x';
				a!.publish(`account:${doc}`, bytes(String(i)));
				sent.push(`${doc}${i}`);
			}
			await waitFor('all 200 heard', () => heard.length === 200);
			expect(heard).toEqual(sent);
		});

		it('delivers only documents the instance subscribed to, and nothing after it unsubscribed', async () => {
			const [a, b] = await instances(2);
			const atX = new Inbox();
			const atY = new Inbox();
			await b!.subscribe('account:x', atX);
			await b!.subscribe('account:y', atY);
			a!.publish('account:z', bytes('never subscribed'));
			a!.publish('account:x', bytes('x1'));
			a!.publish('account:y', bytes('y1'));
			await waitFor('y1 heard', () => atY.messages.length === 1);
			await b!.unsubscribe('account:x');
			a!.publish('account:x', bytes('x2 after unsubscribe'));
			a!.publish('account:y', bytes('y2'));
			await waitFor('y2 heard', () => atY.messages.length === 2);
			expect(atX.messages).toEqual(['x1']);
			expect(atY.messages).toEqual(['y1', 'y2']);
		});

		it('hands messages to the latest subscriber of a document, and again after a resubscribe', async () => {
			const [a, b] = await instances(2);
			const first = new Inbox();
			const second = new Inbox();
			await b!.subscribe('account:x', first);
			await b!.subscribe('account:x', second);
			a!.publish('account:x', bytes('one'));
			await waitFor('one heard', () => second.messages.length === 1);
			await b!.unsubscribe('account:x');
			const third = new Inbox();
			await b!.subscribe('account:x', third);
			a!.publish('account:x', bytes('two'));
			await waitFor('two heard', () => third.messages.length === 1);
			expect(first.messages).toEqual([]);
			expect(second.messages).toEqual(['one']);
			expect(third.messages).toEqual(['two']);
		});

		it('copies what it publishes: changing the buffer afterwards changes nothing delivered', async () => {
			const [a, b] = await instances(2);
			const atB = new Inbox();
			await b!.subscribe('account:x', atB);
			const buffer = bytes('original');
			a!.publish('account:x', buffer);
			buffer.fill(33);
			await waitFor('heard', () => atB.messages.length === 1);
			expect(atB.messages).toEqual(['original']);
		});

		it('keeps groups apart: an instance of another group hears nothing of this one', async () => {
			const [a, c] = await instances(2);
			const [b, d] = await instances(2);
			const atB = new Inbox();
			const atC = new Inbox();
			await b!.subscribe('account:x', atB);
			await c!.subscribe('account:x', atC);
			a!.publish('account:x', bytes('group one'));
			// Once c has it, it has passed the broker; d's later message to b is behind it.
			await waitFor('c heard a', () => atC.messages.length === 1);
			d!.publish('account:x', bytes('group two'));
			await waitFor('b heard d', () => atB.messages.length === 1);
			expect(atB.messages).toEqual(['group two']);
			expect(atC.messages).toEqual(['group one']);
		});

		it('after close, an instance neither hears nor sends, and the others go on', async () => {
			const [a, b, c] = await instances(3);
			const atA = new Inbox();
			const atC = new Inbox();
			await a!.subscribe('account:x', atA);
			await c!.subscribe('account:x', atC);
			await a!.close();
			await a!.close();
			a!.publish('account:x', bytes('from closed a'));
			b!.publish('account:x', bytes('from b'));
			await waitFor('c heard b', () => atC.messages.length === 1);
			expect(atC.messages).toEqual(['from b']);
			expect(atA.messages).toEqual([]);
			await expect(a!.subscribe('account:y', new Inbox())).rejects.toThrow();
		});
	});
}
