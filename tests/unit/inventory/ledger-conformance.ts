import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StockLedgerError, vanKey, type StockLedger } from '../../../server/inventory/stock-ledger';
import { counterKey } from '../../../src/lib/model/stock-counters';

/**
 * What every StockLedger implementation must do alike. Each implementation adds
 * one `describeStockLedger` call with a factory for a fresh, empty ledger.
 */
export function describeStockLedger(name: string, createLedger: () => Promise<StockLedger>, options: { propertyRuns?: number } = {}): void {
	const numRuns = options.propertyRuns ?? 100;
	const AT = '2026-11-24T09:00:00.000Z';
	const W = 'lyon';
	const REP1 = 'rep1.tablet';
	const REP2 = 'rep2.phone';

	describe(`StockLedger conformance: ${name}`, () => {
		it('another rep\'s order that lands first leaves the second "6 of 10 confirmed, 4 backordered"', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 8);
			const first = await ledger.reconcile({ warehouse: W, orderId: 'o1', writer: REP2, lines: [{ id: 'a', sku: 'X', qty: 2 }], at: AT });
			const second = await ledger.reconcile({ warehouse: W, orderId: 'o2', writer: REP1, lines: [{ id: 'b', sku: 'X', qty: 10 }], at: AT });
			expect(first.status).toBe('confirmed');
			expect(second.status).toBe('partially_confirmed');
			expect(second.allocation.b).toMatchObject({ confirmed: 6, backordered: 4 });
			expect(await ledger.totals(W)).toEqual({
				onHand: { X: 8 },
				allocated: { X: 8 },
				reconciled: { [counterKey(REP2, 'X')]: 2, [counterKey(REP1, 'X')]: 10 },
				vanRemaining: {},
				vanSettled: {}
			});
		});

		it('a re-sent order is never allocated twice, even after a receipt', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 3);
			const request = { warehouse: W, orderId: 'o1', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: 5 }], at: AT };
			const first = await ledger.reconcile(request);
			await ledger.receive(W, 'X', 10);
			const again = await ledger.reconcile({ ...request, at: 'later' });
			expect(again.fresh).toBe(false);
			expect(again.allocation).toEqual(first.allocation);
			expect(again.newlyConfirmed).toEqual({});
			expect((await ledger.totals(W)).allocated).toEqual({ X: 3 });
			expect((await ledger.totals(W)).reconciled).toEqual({ [counterKey(REP1, 'X')]: 5 });
		});

		it('cancelling a confirmed order returns its stock, once', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			const lines = [{ id: 'a', sku: 'X', qty: 4 }];
			await ledger.reconcile({ warehouse: W, orderId: 'o1', writer: REP1, lines, at: AT });
			expect(await ledger.cancel({ warehouse: W, orderId: 'o1', writer: REP1, lines })).toEqual({ returned: { X: 4 }, fresh: true });
			expect(await ledger.cancel({ warehouse: W, orderId: 'o1', writer: REP1, lines })).toEqual({ returned: {}, fresh: false });
			expect((await ledger.totals(W)).allocated).toEqual({ X: 0 });
			const next = await ledger.reconcile({ warehouse: W, orderId: 'o2', writer: REP2, lines: [{ id: 'b', sku: 'X', qty: 5 }], at: AT });
			expect(next.status).toBe('confirmed');
		});

		it('an order cancelled before it was reconciled settles its reservation and never takes stock', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			const lines = [{ id: 'a', sku: 'X', qty: 2 }];
			await ledger.cancel({ warehouse: W, orderId: 'o1', writer: REP1, lines });
			const late = await ledger.reconcile({ warehouse: W, orderId: 'o1', writer: REP1, lines, at: AT });
			expect(late).toMatchObject({ fresh: false, cancelled: true, newlyConfirmed: {} });
			expect(await ledger.totals(W)).toEqual({ onHand: { X: 5 }, allocated: {}, reconciled: { [counterKey(REP1, 'X')]: 2 }, vanRemaining: {}, vanSettled: {} });
		});

		it('keeps warehouses apart', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand('north', 'X', 1);
			const result = await ledger.reconcile({ warehouse: 'south', orderId: 'o1', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: 1 }], at: AT });
			expect(result.status).toBe('rejected');
			expect((await ledger.totals('north')).allocated).toEqual({});
		});

		it('refuses bad input with a typed error and changes nothing', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			await expect(ledger.receive(W, 'X', -1)).rejects.toThrow(StockLedgerError);
			await expect(ledger.setOnHand(W, 'X', 1.5)).rejects.toThrow(StockLedgerError);
			await expect(
				ledger.reconcile({ warehouse: W, orderId: 'o1', writer: 'bad|writer', lines: [{ id: 'a', sku: 'X', qty: 1 }], at: AT })
			).rejects.toThrow(StockLedgerError);
			await expect(ledger.reconcile({ warehouse: W, orderId: 'o1', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: -2 }], at: AT })).rejects.toThrow();
			expect(await ledger.totals(W)).toEqual({ onHand: { X: 5 }, allocated: {}, reconciled: {}, vanRemaining: {}, vanSettled: {} });
			expect(await ledger.orderAllocation(W, 'o1')).toBeUndefined();
		});

		it('the allocation it hands out is a copy', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			const result = await ledger.reconcile({ warehouse: W, orderId: 'o1', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: 1 }], at: AT });
			result.allocation.a!.confirmed = 99;
			expect((await ledger.orderAllocation(W, 'o1'))?.a?.confirmed).toBe(1);
		});

		it('property: submissions, duplicates, cancels and receipts in any order, concurrently, never overbook', async () => {
			const op = fc.oneof(
				fc.record({
					kind: fc.constant('order' as const),
					order: fc.nat(15),
					rep: fc.constantFrom(REP1, REP2),
					lines: fc.array(fc.record({ sku: fc.constantFrom('A', 'B'), qty: fc.nat(6) }), { minLength: 1, maxLength: 3 })
				}),
				fc.record({ kind: fc.constant('cancel' as const), order: fc.nat(15) }),
				fc.record({ kind: fc.constant('receive' as const), sku: fc.constantFrom('A', 'B'), qty: fc.nat(5) })
			);
			await fc.assert(
				fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
					const ledger = await createLedger();
					await ledger.setOnHand(W, 'A', 6);
					await ledger.setOnHand(W, 'B', 3);
					// An order id always carries the same lines, as a re-sent document would.
					const linesOf = new Map<number, { id: string; sku: string; qty: number }[]>();
					const writerOf = new Map<number, string>();
					await Promise.all(
						ops.map(async (o) => {
							if (o.kind === 'receive') return void (await ledger.receive(W, o.sku, o.qty));
							if (o.kind === 'order' && !linesOf.has(o.order)) {
								linesOf.set(o.order, o.lines.map((line, index) => ({ id: `l${index}`, ...line })));
								writerOf.set(o.order, o.rep);
							}
							const lines = linesOf.get(o.order);
							const writer = writerOf.get(o.order);
							if (!lines || !writer) return;
							if (o.kind === 'order') await ledger.reconcile({ warehouse: W, orderId: `o${o.order}`, writer, lines, at: AT });
							else await ledger.cancel({ warehouse: W, orderId: `o${o.order}`, writer, lines });
						})
					);
					const totals = await ledger.totals(W);
					let liveConfirmed: Record<string, number> = {};
					for (const [order, lines] of linesOf) {
						const allocation = await ledger.orderAllocation(W, `o${order}`);
						if (!allocation) continue;
						const cancelled = await ledger.cancel({ warehouse: W, orderId: `o${order}`, writer: writerOf.get(order) ?? REP1, lines });
						for (const line of lines) {
							const a = allocation[line.id];
							if (!a) continue;
							expect(a.confirmed + a.backordered).toBe(line.qty);
							// A cancel that was fresh here means the order was still live.
							if (cancelled.fresh) liveConfirmed = { ...liveConfirmed, [line.sku]: (liveConfirmed[line.sku] ?? 0) + a.confirmed };
						}
					}
					for (const sku of ['A', 'B']) {
						expect(totals.allocated[sku] ?? 0).toBeLessThanOrEqual(totals.onHand[sku] ?? 0);
						expect(totals.allocated[sku] ?? 0).toBe(liveConfirmed[sku] ?? 0);
					}
				}),
				{ numRuns }
			);
		});
			it('van stock is held for its rep: another rep cannot take it, the rep can even when the warehouse is empty', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 10);
			expect(await ledger.grantVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 4 })).toBe(4);
			const other = await ledger.reconcile({ warehouse: W, orderId: 'o1', userId: 'rep2', writer: REP2, lines: [{ id: 'a', sku: 'X', qty: 10 }], at: AT });
			expect(other.allocation.a).toMatchObject({ confirmed: 6, backordered: 4 });
			const mine = await ledger.reconcile({
				warehouse: W,
				orderId: 'o2',
				userId: 'rep1',
				writer: REP1,
				lines: [{ id: 'b', sku: 'X', qty: 5, fromVan: 3 }],
				at: AT
			});
			// Three from the van as promised offline; the other two compete for free stock, which is gone.
			expect(mine.allocation.b).toMatchObject({ confirmed: 3, backordered: 2, fromVan: 3 });
			expect(await ledger.totals(W)).toEqual({
				onHand: { X: 10 },
				allocated: { X: 9 },
				reconciled: { [counterKey(REP2, 'X')]: 10, [counterKey(REP1, 'X')]: 2 },
				vanRemaining: { [vanKey('rep1', 'X')]: 1 },
				vanSettled: { [counterKey(REP1, 'X')]: 3 }
			});
		});

		it('a van is loaded only from free stock, and unused van stock goes back', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			await ledger.reconcile({ warehouse: W, orderId: 'o1', userId: 'rep2', writer: REP2, lines: [{ id: 'a', sku: 'X', qty: 3 }], at: AT });
			await expect(ledger.grantVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 3 })).rejects.toThrow(/only 2 of X are free/);
			await ledger.grantVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 2 });
			expect(await ledger.returnVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 5 })).toBe(2);
			expect(await ledger.returnVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 5 })).toBe(0);
			const next = await ledger.reconcile({ warehouse: W, orderId: 'o2', userId: 'rep2', writer: REP2, lines: [{ id: 'b', sku: 'X', qty: 2 }], at: AT });
			expect(next.status).toBe('confirmed');
		});

		it('keeps a van of a sku whose name holds the key separator under its own rep and sku', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'A|B', 10);
			expect(await ledger.grantVan({ warehouse: W, userId: 'rep1', sku: 'A|B', qty: 8 })).toBe(8);
			await expect(ledger.grantVan({ warehouse: W, userId: 'rep2', sku: 'A|B', qty: 8 })).rejects.toThrow(/only 2 of A\|B are free/);
			expect((await ledger.totals(W)).vanRemaining).toEqual({ [vanKey('rep1', 'A|B')]: 8 });
			expect(await ledger.returnVan({ warehouse: W, userId: 'rep1', sku: 'A|B', qty: 8 })).toBe(8);
			expect((await ledger.exportWarehouse(W)).vans).toEqual([{ userId: 'rep1', sku: 'A|B', granted: 8, returned: 8, used: 0 }]);
		});

		it('cancelling an order served from the van puts the units back in the van', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			await ledger.grantVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 5 });
			const lines = [{ id: 'a', sku: 'X', qty: 4, fromVan: 4 }];
			await ledger.reconcile({ warehouse: W, orderId: 'o1', userId: 'rep1', writer: REP1, lines, at: AT });
			expect((await ledger.totals(W)).vanRemaining).toEqual({ [vanKey('rep1', 'X')]: 1 });
			expect(await ledger.cancel({ warehouse: W, orderId: 'o1', userId: 'rep1', writer: REP1, lines })).toEqual({ returned: { X: 4 }, fresh: true });
			const totals = await ledger.totals(W);
			expect(totals.vanRemaining).toEqual({ [vanKey('rep1', 'X')]: 5 });
			expect(totals.allocated).toEqual({ X: 0 });
		});

		it('property: a line confirmed offline from the van is never cut, whatever arrives first', async () => {
			const reps = ['r1', 'r2', 'r3'] as const;
			const order = fc.record({
				rep: fc.constantFrom(...reps),
				sku: fc.constantFrom('A', 'B'),
				qty: fc.integer({ min: 1, max: 6 }),
				wantsVan: fc.boolean()
			});
			await fc.assert(
				fc.asyncProperty(
					fc.record({ A: fc.nat(12), B: fc.nat(12) }),
					fc.array(fc.record({ rep: fc.constantFrom(...reps), sku: fc.constantFrom('A', 'B'), qty: fc.nat(4) }), { maxLength: 6 }),
					fc.array(order, { minLength: 1, maxLength: 25 }),
					fc.infiniteStream(fc.nat()),
					async (onHand, grants, orders, shuffle) => {
						const ledger = await createLedger();
						for (const [sku, qty] of Object.entries(onHand)) await ledger.setOnHand(W, sku, qty);
						for (const grant of grants) await ledger.grantVan({ warehouse: W, userId: grant.rep, ...grant }).catch(() => undefined);
						// Each rep's one device, offline: it promises from what the server last
						// published for its van, less what it has already promised since.
						const published = (await ledger.totals(W)).vanRemaining;
						const promisedOffline = new Map<string, number>();
						const requests = orders.map((o, index) => {
							const key = vanKey(o.rep, o.sku);
							const left = (published[key] ?? 0) - (promisedOffline.get(key) ?? 0);
							const fromVan = o.wantsVan ? Math.min(o.qty, Math.max(0, left)) : 0;
							promisedOffline.set(key, (promisedOffline.get(key) ?? 0) + fromVan);
							return { warehouse: W, orderId: `o${index}`, userId: o.rep, writer: `${o.rep}.device`, lines: [{ id: 'l', sku: o.sku, qty: o.qty, fromVan }], at: AT };
						});
						// Reconnects in any order, some orders twice.
						const arrivals = [...requests, ...requests.filter((_, i) => i % 3 === 0)];
						const picks = shuffle.take(arrivals.length);
						const order = arrivals.map((r, i) => ({ r, k: picks.next().value as number, i })).sort((a, b) => a.k - b.k || a.i - b.i);
						for (const { r } of order) await ledger.reconcile(r);
						const totals = await ledger.totals(W);
						for (const request of requests) {
							const allocation = (await ledger.orderAllocation(W, request.orderId))?.l;
							const line = request.lines[0]!;
							expect(allocation).toBeDefined();
							expect(allocation!.confirmed).toBeGreaterThanOrEqual(line.fromVan);
							expect(allocation!.confirmed + allocation!.backordered).toBe(line.qty);
						}
						for (const sku of ['A', 'B']) {
							const inVans = Object.entries(totals.vanRemaining)
								.filter(([key]) => key.endsWith(`|${sku}`))
								.reduce((n, [, qty]) => n + qty, 0);
							expect((totals.allocated[sku] ?? 0) + inVans).toBeLessThanOrEqual(totals.onHand[sku] ?? 0);
						}
					}
				),
				{ numRuns }
			);
		});
		it('knows which reps order a product often, for shortage alerts', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 50);
			const order = (orderId: string, userId: string, sku: string) =>
				ledger.reconcile({ warehouse: W, orderId, userId, writer: `${userId}.d`, lines: [{ id: 'l', sku, qty: 1 }], at: AT });
			await order('o1', 'rep1', 'X');
			await order('o2', 'rep1', 'X');
			await order('o3', 'rep2', 'X');
			await order('o4', 'rep2', 'Y');
			await order('o5', 'rep2', 'Y');
			expect(await ledger.frequentBuyers(W, 'X', 2)).toEqual(['rep1']);
			expect(await ledger.frequentBuyers(W, 'X', 1)).toEqual(['rep1', 'rep2']);
			await ledger.cancel({ warehouse: W, orderId: 'o2', lines: [{ id: 'l', sku: 'X', qty: 1 }] });
			expect(await ledger.frequentBuyers(W, 'X', 2)).toEqual([]);
			expect(await ledger.frequentBuyers('elsewhere', 'X', 1)).toEqual([]);
		});

		it('a batch decides orders in its order, in one step, and a refused order does not stop the rest', async () => {
			const ledger = await createLedger();
			await ledger.setOnHand(W, 'X', 5);
			const outcomes = await ledger.reconcileBatch([
				{ warehouse: W, orderId: 'o1', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: 3 }], at: AT },
				{ warehouse: W, orderId: 'bad', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: -1 }], at: AT },
				{ warehouse: W, orderId: 'o2', writer: REP2, lines: [{ id: 'b', sku: 'X', qty: 3 }], at: AT },
				{ warehouse: 'other', orderId: 'o3', writer: REP2, lines: [{ id: 'c', sku: 'X', qty: 1 }], at: AT },
				{ warehouse: W, orderId: 'o1', writer: REP1, lines: [{ id: 'a', sku: 'X', qty: 3 }], at: AT }
			]);
			expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, true, true]);
			const [first, bad, second, , again] = outcomes;
			expect(first!.ok && first!.result.allocation.a).toMatchObject({ confirmed: 3, backordered: 0 });
			expect(!bad!.ok && bad!.error).toBeInstanceOf(StockLedgerError);
			expect(second!.ok && second!.result.allocation.b).toMatchObject({ confirmed: 2, backordered: 1 });
			expect(again!.ok && again!.result.fresh).toBe(false);
			expect(await ledger.orderAllocation(W, 'bad')).toBeUndefined();
			expect((await ledger.totals(W)).allocated).toEqual({ X: 5 });
		});

		describe('export and import, as a backup carries the ledger', () => {
			/** Every kind of row: counts, vans, decided, van-served, cancelled and never-decided orders, settled counters. */
			async function busyLedger(): Promise<StockLedger> {
				const ledger = await createLedger();
				await ledger.setOnHand(W, 'X', 10);
				await ledger.setOnHand(W, 'Y', 2);
				await ledger.grantVan({ warehouse: W, userId: 'rep1', sku: 'X', qty: 3 });
				await ledger.reconcile({ warehouse: W, orderId: 'o1', userId: 'rep2', writer: REP2, lines: [{ id: 'a', sku: 'X', qty: 5 }, { id: 'b', sku: 'Y', qty: 4 }], at: AT });
				await ledger.reconcile({ warehouse: W, orderId: 'o2', userId: 'rep1', writer: REP1, lines: [{ id: 'c', sku: 'X', qty: 4, fromVan: 2 }], at: AT });
				const cancelled = [{ id: 'd', sku: 'X', qty: 1 }];
				await ledger.reconcile({ warehouse: W, orderId: 'o3', userId: 'rep2', writer: REP2, lines: cancelled, at: AT });
				await ledger.cancel({ warehouse: W, orderId: 'o3', userId: 'rep2', writer: REP2, lines: cancelled });
				await ledger.cancel({ warehouse: W, orderId: 'o4', userId: 'rep1', writer: REP1, lines: [{ id: 'e', sku: 'Y', qty: 1 }] });
				// A warehouse the ledger has only an order for (nothing counted there): it must travel too.
				await ledger.reconcile({ warehouse: 'uncounted', orderId: 'o5', userId: 'rep1', writer: REP1, lines: [{ id: 'f', sku: 'X', qty: 2 }], at: AT });
				return ledger;
			}

			/** Through JSON, as a backup line holds it. */
			async function copyInto(from: StockLedger, to: StockLedger): Promise<void> {
				for (const warehouse of await from.warehouses()) await to.importWarehouse(JSON.parse(JSON.stringify(await from.exportWarehouse(warehouse))));
			}

			it('a fresh ledger fed the export has the same figures and decisions, and does not decide a re-sent order again', async () => {
				const source = await busyLedger();
				const copy = await createLedger();
				await copyInto(source, copy);

				expect(await source.warehouses()).toEqual([W, 'uncounted'].sort());
				expect(await copy.warehouses()).toEqual(await source.warehouses());
				for (const warehouse of await source.warehouses()) {
					expect(await copy.totals(warehouse)).toEqual(await source.totals(warehouse));
					expect(await copy.exportWarehouse(warehouse)).toEqual(await source.exportWarehouse(warehouse));
				}
				for (const [warehouse, orderId] of [[W, 'o1'], [W, 'o2'], [W, 'o3'], [W, 'o4'], ['uncounted', 'o5']] as const) {
					const allocation = await source.orderAllocation(warehouse, orderId);
					expect(allocation).toBeDefined();
					expect(await copy.orderAllocation(warehouse, orderId)).toEqual(allocation);
				}
				const before = await copy.totals(W);
				const resent = await copy.reconcile({ warehouse: W, orderId: 'o1', userId: 'rep2', writer: REP2, lines: [{ id: 'a', sku: 'X', qty: 5 }, { id: 'b', sku: 'Y', qty: 4 }], at: 'later' });
				expect(resent).toMatchObject({ fresh: false, newlyConfirmed: {}, allocation: await source.orderAllocation(W, 'o1') });
				const lateCancelled = await copy.reconcile({ warehouse: W, orderId: 'o4', userId: 'rep1', writer: REP1, lines: [{ id: 'e', sku: 'Y', qty: 1 }], at: 'later' });
				expect(lateCancelled).toMatchObject({ fresh: false, cancelled: true });
				expect(await copy.totals(W)).toEqual(before);
				// What is held stays held: the next order is decided as the source would decide it.
				const next = { warehouse: W, orderId: 'o6', userId: 'rep2', writer: REP2, lines: [{ id: 'g', sku: 'X', qty: 10 }], at: AT };
				expect(await copy.reconcile(next)).toEqual(await source.reconcile(next));
				const fromVan = { ...next, orderId: 'o7', userId: 'rep1', writer: REP1, lines: [{ id: 'h', sku: 'X', qty: 1, fromVan: 1 }] };
				expect(await copy.reconcile(fromVan)).toEqual(await source.reconcile(fromVan));
				expect(await copy.totals(W)).toEqual(await source.totals(W));
			});

			it('an empty ledger exports an empty warehouse and lists none', async () => {
				const ledger = await createLedger();
				await ledger.totals(W);
				expect(await ledger.warehouses()).toEqual([]);
				expect(await ledger.exportWarehouse(W)).toEqual({ warehouse: W, onHand: {}, allocated: {}, reconciled: {}, vanSettled: {}, vans: [], orders: [] });
			});

			it('refuses to import into a warehouse that holds anything, and changes nothing', async () => {
				const snapshot = await (await busyLedger()).exportWarehouse(W);
				const counted = await createLedger();
				await counted.setOnHand(W, 'Z', 1);
				await expect(counted.importWarehouse(snapshot)).rejects.toThrow(StockLedgerError);
				expect(await counted.exportWarehouse(W)).toEqual({ warehouse: W, onHand: { Z: 1 }, allocated: {}, reconciled: {}, vanSettled: {}, vans: [], orders: [] });

				// An order alone (nothing counted) is enough to refuse.
				const ordered = await createLedger();
				await ordered.cancel({ warehouse: W, orderId: 'mine', lines: [{ id: 'a', sku: 'X', qty: 1 }] });
				await expect(ordered.importWarehouse(snapshot)).rejects.toThrow(/already holds figures for lyon/);
				expect((await ordered.exportWarehouse(W)).orders.map((o) => o.orderId)).toEqual(['mine']);

				// The same snapshot twice: the second is refused, the first stands.
				const copy = await createLedger();
				await copy.importWarehouse(snapshot);
				await expect(copy.importWarehouse(snapshot)).rejects.toThrow(StockLedgerError);
				expect(await copy.exportWarehouse(W)).toEqual(snapshot);
			});

			it('refuses a damaged snapshot before writing any of it', async () => {
				const snapshot = await (await busyLedger()).exportWarehouse(W);
				const ledger = await createLedger();
				await expect(ledger.importWarehouse({ ...snapshot, onHand: { X: -1 } })).rejects.toThrow(StockLedgerError);
				await expect(ledger.importWarehouse({ ...snapshot, orders: [...snapshot.orders, snapshot.orders[0]!] })).rejects.toThrow(/order o1 twice/);
				await expect(ledger.importWarehouse({ ...snapshot, vans: [{ ...snapshot.vans[0]!, used: 0.5 }] })).rejects.toThrow(StockLedgerError);
				expect(await ledger.warehouses()).toEqual([]);
			});
		});

});
}
