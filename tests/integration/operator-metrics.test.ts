import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields, accountNotes, readAccount } from '../../src/lib/model';
import { sample, scrape } from '../helpers/metrics-text';
import { startTestRelay, type TestRelay } from '../helpers/relay-harness';
import { connectStockClient } from '../helpers/stock-client';
import { waitFor } from '../helpers/wait';

function closeCodeOf(socket: WebSocket): Promise<number> {
	return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('operator metrics and readiness', () => {
	let relay: TestRelay;
	beforeAll(async () => {
		relay = await startTestRelay({ limits: { maxDocumentBytes: 20_000 } });
	});
	afterAll(async () => {
		await relay.stop();
	});

	it('counts updates in and out, group commits and their batch sizes, and the store size as traffic flows', async () => {
		const before = await scrape(relay.server.url);
		const writer = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('manager'));
		const reader = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('repNorth'));
		await waitFor('synced', () => writer.provider.synced && reader.provider.synced);
		for (const city of ['Caluire', 'Bron', 'Vénissieux']) accountFields(writer.doc).set('city', city);
		await waitFor('relayed', () => readAccount(reader.doc).city === 'Vénissieux');
		await relay.server.relay.persistence.flush();

		const during = await scrape(relay.server.url);
		expect(sample(during, 'outrider_connections', { endpoint: 'doc' })).toBe(2);
		expect(sample(during, 'outrider_documents_in_memory')).toBeGreaterThanOrEqual(1);
		expect(sample(during, 'outrider_updates_received_total') - sample(before, 'outrider_updates_received_total')).toBeGreaterThanOrEqual(3);
		// Each of the three went to the one other subscriber.
		expect(sample(during, 'outrider_updates_sent_total') - sample(before, 'outrider_updates_sent_total')).toBeGreaterThanOrEqual(3);
		expect(sample(during, 'outrider_store_commit_seconds_count')).toBeGreaterThan(sample(before, 'outrider_store_commit_seconds_count'));
		const batches = sample(during, 'outrider_store_batch_updates_count') - sample(before, 'outrider_store_batch_updates_count');
		const batched = sample(during, 'outrider_store_batch_updates_sum') - sample(before, 'outrider_store_batch_updates_sum');
		expect(batches).toBeGreaterThanOrEqual(1);
		expect(batched).toBeGreaterThanOrEqual(3);
		expect(sample(during, 'outrider_store_batch_updates_bucket', { le: '+Inf' })).toBe(sample(during, 'outrider_store_batch_updates_count'));
		expect(sample(during, 'outrider_store_commit_recent_seconds_count')).toBeGreaterThanOrEqual(1);
		expect(during).toMatch(/^outrider_store_commit_recent_seconds\{quantile="0.99"\} \d/m);
		expect(sample(during, 'outrider_store_size_bytes')).toBeGreaterThan(4096);
		writer.destroy();
		reader.destroy();
	});

	it('counts what it refuses, by reason', async () => {
		const before = await scrape(relay.server.url);
		const refusedSince = async (reason: string) => sample(await scrape(relay.server.url), 'outrider_refused_total', { reason }) - sample(before, 'outrider_refused_total', { reason });

		const outsider = connectStockClient(relay.wsBase, 'account:south-1', await relay.login('repNorth'));
		await waitFor('refused', () => outsider.denied.length > 0);
		outsider.destroy();
		// The stock provider may reconnect, and be refused again, before it is destroyed.
		expect(await refusedSince('forbidden')).toBeGreaterThanOrEqual(1);

		const forged = new WebSocket(`${relay.wsBase}/sync?token=not-a-token`);
		expect(await closeCodeOf(forged)).toBe(4401);
		expect(await refusedSince('unauthorized')).toBe(1);

		const rep = connectStockClient(relay.wsBase, 'account:north-1', await relay.login('repNorth'));
		await waitFor('synced', () => rep.provider.synced);
		accountFields(rep.doc).set('territory', 'south');
		await waitFor('put back', () => readAccount(rep.doc).territory === 'north' && rep.denied.length > 0);
		expect(await refusedSince('protected_change')).toBe(1);

		accountNotes(rep.doc).insert(0, 'x'.repeat(25_000));
		await waitFor('too large refused', async () => (await refusedSince('document_too_large')) === 1);
		rep.destroy();

		const garbled = new WebSocket(`${relay.wsBase}/doc/account:north-1?token=${await relay.login('manager')}`);
		await new Promise((resolve) => garbled.once('open', resolve));
		garbled.send(Uint8Array.of(99));
		expect(await closeCodeOf(garbled)).toBe(4400);
		expect(await refusedSince('malformed')).toBe(1);
	});

	it('shows every order reconciliation result, from zero', async () => {
		const text = await scrape(relay.server.url);
		for (const result of ['confirmed', 'partially_confirmed', 'rejected', 'cancelled']) {
			expect(text).toMatch(new RegExp(`^outrider_orders_reconciled_total\\{result="${result}"\\} \\d+$`, 'm'));
		}
	});

	it('is ready while it serves, and not ready (though still healthy) once shutdown begins', async () => {
		const ready = await fetch(`${relay.server.url}/readyz`);
		expect(ready.status).toBe(200);
		expect(await ready.text()).toBe('ready\n');

		relay.server.beginShutdown();
		const draining = await fetch(`${relay.server.url}/readyz`);
		expect(draining.status).toBe(503);
		expect(await draining.text()).toBe('shutting down\n');
		expect((await fetch(`${relay.server.url}/healthz`)).status).toBe(200);
		const late = new WebSocket(`${relay.wsBase}/sync?token=${await relay.login('manager')}`);
		const refusal = await new Promise<number | undefined>((resolve) => {
			late.once('unexpected-response', (_req, res) => resolve(res.statusCode));
			late.once('open', () => resolve(undefined));
		});
		expect(refusal).toBe(503);
	});
});
