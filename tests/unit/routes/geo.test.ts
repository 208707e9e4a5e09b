import { describe, expect, it } from 'vitest';
import { boundsOf, convexHull, distanceMeters, isUsablePosition, outlineAround, pathLengthMeters, type LatLng } from '../../../src/lib/routes/geo';

const PARIS = { lat: 48.8566, lng: 2.3522 };
const LYON = { lat: 45.764, lng: 4.8357 };

/** Ray casting: whether a point lies inside a closed ring. */
function inside(point: LatLng, ring: LatLng[]): boolean {
	let result = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const a = ring[i]!;
		const b = ring[j]!;
		if (a.lat > point.lat !== b.lat > point.lat && point.lng < ((b.lng - a.lng) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lng) result = !result;
	}
	return result;
}

describe('distances on the Earth', () => {
	it('gives the great-circle distance between two cities', () => {
		// Paris–Lyon is 391.5 km as the crow flies.
		expect(distanceMeters(PARIS, LYON) / 1000).toBeCloseTo(391.5, 0);
		expect(distanceMeters(LYON, PARIS)).toBeCloseTo(distanceMeters(PARIS, LYON), 6);
	});

	it('is about 111.2 km per degree of latitude and shorter per degree of longitude away from the equator', () => {
		expect(distanceMeters({ lat: 45, lng: 4 }, { lat: 46, lng: 4 })).toBeCloseTo(111_195, -1);
		expect(distanceMeters({ lat: 45, lng: 4 }, { lat: 45, lng: 5 })).toBeCloseTo(78_626, -2);
		expect(distanceMeters(LYON, LYON)).toBe(0);
	});

	it('measures a few metres correctly (no rounding blow-up at short range)', () => {
		const d = distanceMeters({ lat: 45.764, lng: 4.8357 }, { lat: 45.764 + 0.0001, lng: 4.8357 });
		expect(d).toBeCloseTo(11.12, 1);
	});

	it('adds up a path leg by leg', () => {
		const a = { lat: 45.76, lng: 4.83 };
		const b = { lat: 45.77, lng: 4.83 };
		const c = { lat: 45.77, lng: 4.84 };
		expect(pathLengthMeters([a, b, c])).toBeCloseTo(distanceMeters(a, b) + distanceMeters(b, c), 6);
		expect(pathLengthMeters([a])).toBe(0);
		expect(pathLengthMeters([])).toBe(0);
	});

	it('refuses positions a map cannot use', () => {
		expect(isUsablePosition({ lat: 45.7, lng: 4.8 })).toBe(true);
		expect(isUsablePosition({ lat: null, lng: 4.8 })).toBe(false);
		expect(isUsablePosition({ lat: 0, lng: 0 })).toBe(false);
		expect(isUsablePosition({ lat: 91, lng: 0 })).toBe(false);
		expect(isUsablePosition({ lat: Number.NaN, lng: 1 })).toBe(false);
		expect(isUsablePosition(null)).toBe(false);
	});
});

describe("the accounts' area outline", () => {
	const square = [
		{ lat: 45.7, lng: 4.8 },
		{ lat: 45.7, lng: 4.9 },
		{ lat: 45.8, lng: 4.9 },
		{ lat: 45.8, lng: 4.8 }
	];

	it('keeps only the corners of a convex hull', () => {
		const hull = convexHull([...square, { lat: 45.75, lng: 4.85 }, { lat: 45.7, lng: 4.85 }]);
		expect(hull).toHaveLength(4);
		expect(new Set(hull.map((p) => `${p.lat},${p.lng}`))).toEqual(new Set(square.map((p) => `${p.lat},${p.lng}`)));
	});

	it('draws a closed ring that holds every account with a margin', () => {
		const points = [...square, { lat: 45.75, lng: 4.85 }];
		const ring = outlineAround(points, 200);
		expect(ring[0]).toEqual(ring[ring.length - 1]);
		for (const p of points) expect(inside(p, ring)).toBe(true);
		const box = boundsOf(ring)!;
		expect(distanceMeters({ lat: box.south, lng: 4.85 }, { lat: 45.7, lng: 4.85 })).toBeGreaterThan(150);
	});

	it('draws a box around one or two accounts', () => {
		const one = outlineAround([{ lat: 45.75, lng: 4.85 }], 300);
		expect(one).toHaveLength(5);
		expect(inside({ lat: 45.75, lng: 4.85 }, one)).toBe(true);
		expect(outlineAround([], 300)).toEqual([]);
	});
});
