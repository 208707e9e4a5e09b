/** Positions and distances on the Earth, in degrees and metres. Pure. */

export interface LatLng {
	lat: number;
	lng: number;
}

/** Mean Earth radius (IUGG); the haversine error against the ellipsoid stays under 0.5 %. */
export const EARTH_RADIUS_M = 6_371_008.8;

const RADIANS = Math.PI / 180;

/** A position a map and the maths can use: finite, in range, and not the 0,0 of a missing fix. */
export function isUsablePosition(position: { lat: number | null; lng: number | null } | null | undefined): position is LatLng {
	if (!position) return false;
	const { lat, lng } = position;
	if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return false;
	if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return false;
	return !(lat === 0 && lng === 0);
}

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: LatLng, b: LatLng): number {
	const dLat = (b.lat - a.lat) * RADIANS;
	const dLng = (b.lng - a.lng) * RADIANS;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RADIANS) * Math.cos(b.lat * RADIANS) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of a polyline through the points in order, in metres. */
export function pathLengthMeters(points: readonly LatLng[]): number {
	let total = 0;
	for (let i = 1; i < points.length; i++) total += distanceMeters(points[i - 1] as LatLng, points[i] as LatLng);
	return total;
}

export interface Bounds {
	south: number;
	west: number;
	north: number;
	east: number;
}

/** The smallest box holding every point; undefined for none. */
export function boundsOf(points: readonly LatLng[]): Bounds | undefined {
	if (points.length === 0) return undefined;
	let south = Infinity;
	let west = Infinity;
	let north = -Infinity;
	let east = -Infinity;
	for (const { lat, lng } of points) {
		south = Math.min(south, lat);
		north = Math.max(north, lat);
		west = Math.min(west, lng);
		east = Math.max(east, lng);
	}
	return { south, west, north, east };
}

function cross(o: LatLng, a: LatLng, b: LatLng): number {
	return (a.lng - o.lng) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lng - o.lng);
}

/**
 * Convex hull (Andrew's monotone chain), counter-clockwise, first point not repeated.
 * At a city's scale degrees are flat enough for an outline drawn on a map.
 */
export function convexHull(points: readonly LatLng[]): LatLng[] {
	const sorted = [...points].sort((a, b) => a.lng - b.lng || a.lat - b.lat);
	const unique = sorted.filter((p, i) => i === 0 || p.lng !== sorted[i - 1]!.lng || p.lat !== sorted[i - 1]!.lat);
	if (unique.length < 3) return unique;
	const lower: LatLng[] = [];
	for (const p of unique) {
		while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
		lower.push(p);
	}
	const upper: LatLng[] = [];
	for (let i = unique.length - 1; i >= 0; i--) {
		const p = unique[i]!;
		while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
		upper.push(p);
	}
	lower.pop();
	upper.pop();
	return [...lower, ...upper];
}

/**
 * A closed ring around the points, pushed out by `marginM` so markers on the edge
 * sit inside the outline. Fewer than three distinct points give a box around them.
 */
export function outlineAround(points: readonly LatLng[], marginM: number): LatLng[] {
	const hull = convexHull(points);
	const box = boundsOf(hull);
	if (!box) return [];
	const latPerM = 1 / 111_320;
	const lngPerM = 1 / (111_320 * Math.max(0.01, Math.cos(((box.south + box.north) / 2) * RADIANS)));
	if (hull.length < 3) {
		const s = box.south - marginM * latPerM;
		const n = box.north + marginM * latPerM;
		const w = box.west - marginM * lngPerM;
		const e = box.east + marginM * lngPerM;
		return [
			{ lat: s, lng: w },
			{ lat: s, lng: e },
			{ lat: n, lng: e },
			{ lat: n, lng: w },
			{ lat: s, lng: w }
		];
	}
	const centre = {
		lat: hull.reduce((sum, p) => sum + p.lat, 0) / hull.length,
		lng: hull.reduce((sum, p) => sum + p.lng, 0) / hull.length
	};
	const ring = hull.map((p) => {
		const dLat = (p.lat - centre.lat) / latPerM;
		const dLng = (p.lng - centre.lng) / lngPerM;
		const length = Math.hypot(dLat, dLng) || 1;
		return { lat: p.lat + (dLat / length) * marginM * latPerM, lng: p.lng + (dLng / length) * marginM * lngPerM };
	});
	return [...ring, ring[0]!];
}
