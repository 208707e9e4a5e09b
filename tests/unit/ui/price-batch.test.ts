import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { parseEuros, publishBatch, withChange } from '../../../src/lib/dashboard/price-batch';
import { createCatalog, readCatalog } from '../../../src/lib/model';

describe('publishing a batch of price changes', () => {
	it('reads euros as the office types them', () => {
		expect([parseEuros('12.5'), parseEuros('12,50'), parseEuros(' 7 '), parseEuros('0.05')]).toEqual([1250, 1250, 700, 5]);
		for (const bad of ['', '12.555', '-1', '1e3', 'twelve']) expect(parseEuros(bad)).toBeNull();
	});

	it('writes every change of the batch in one update, skipping those that change nothing', () => {
		const doc = new Y.Doc();
		createCatalog(doc, { products: { A: { name: 'Water', unit: 'bottle', price: 95, active: true } } });
		let batch = withChange([], { sku: 'A', name: 'Water', unit: 'bottle', price: 99, active: true });
		batch = withChange(batch, { sku: 'B', name: 'Juice', unit: 'bottle', price: 150, active: true });
		batch = withChange(batch, { sku: 'A', name: 'Water', unit: 'bottle', price: 105, active: true });
		batch = withChange(batch, { sku: 'C', name: 'Same', unit: 'x', price: 1, active: true });
		createCatalog(doc, { products: { C: { name: 'Same', unit: 'x', price: 1, active: true } } });
		let updates = 0;
		doc.on('update', () => updates++);
		expect(publishBatch(doc, batch)).toBe(2);
		expect(updates).toBe(1);
		expect(readCatalog(doc)).toMatchObject({ A: { price: 105 }, B: { name: 'Juice', price: 150 } });
	});
});
