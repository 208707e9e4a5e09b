import { describe, expect, it } from 'vitest';
import { markerFeatures, positionFeature, routeLine, territoryOutlines } from '../../../src/lib/map/features';

describe('what the map draws', () => {
	it('turns markers into points with their number, title and status, skipping ones with no usable position', () => {
		const collection = markerFeatures([
			{ name: 'visit:a', position: { lat: 45.77, lng: 4.83 }, label: '1', title: 'Boulangerie', status: 'planned' },
			{ name: 'visit:b', position: { lat: 0, lng: 0 }, label: '2', title: 'Nowhere', status: null },
			{ name: 'visit:c', position: { lat: 45.78, lng: 4.84 }, label: '3', title: 'Café', status: null }
		]);
		expect(collection.features.map((f) => [f.properties.name, f.properties.label, f.properties.status, f.geometry.coordinates])).toEqual([
			['visit:a', '1', 'planned', [4.83, 45.77]],
			['visit:c', '3', '', [4.84, 45.78]]
		]);
		// The first stop draws on top.
		expect(collection.features[0]!.properties.rank).toBeGreaterThan(collection.features[1]!.properties.rank);
	});

	it('draws the route as one line in order, only with two points or more', () => {
		expect(routeLine([{ lat: 45.7, lng: 4.8 }]).features).toEqual([]);
		const line = routeLine([
			{ lat: 45.7, lng: 4.8 },
			{ lat: 45.71, lng: 4.81 },
			{ lat: 45.72, lng: 4.82 }
		]);
		expect(line.features[0]!.geometry.coordinates).toEqual([
			[4.8, 45.7],
			[4.81, 45.71],
			[4.82, 45.72]
		]);
	});

	it("draws the rep's position only when known", () => {
		expect(positionFeature(null).features).toEqual([]);
		expect(positionFeature({ lat: 45.7, lng: 4.8 }).features[0]!.geometry.coordinates).toEqual([4.8, 45.7]);
	});

	it("outlines each territory's accounts as one closed polygon", () => {
		const outlines = territoryOutlines([
			{ territory: 'north', position: { lat: 45.78, lng: 4.82 } },
			{ territory: 'north', position: { lat: 45.79, lng: 4.84 } },
			{ territory: 'north', position: { lat: 45.775, lng: 4.85 } },
			{ territory: 'south', position: { lat: 45.72, lng: 4.83 } },
			{ territory: 'south', position: null }
		]);
		expect(outlines.features.map((f) => f.properties.territory)).toEqual(['north', 'south']);
		for (const feature of outlines.features) {
			const ring = feature.geometry.coordinates[0]!;
			expect(ring[0]).toEqual(ring[ring.length - 1]);
			expect(ring.length).toBeGreaterThanOrEqual(4);
		}
	});
});
