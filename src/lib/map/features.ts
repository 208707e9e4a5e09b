import { isUsablePosition, outlineAround, type LatLng } from '../routes/geo';

/**
 * The GeoJSON a map draws, built from plain values so it is tested without a map.
 * Coordinates are [lng, lat], as GeoJSON has them.
 */

export type Position = [number, number];

export interface PointFeature<P> {
	type: 'Feature';
	id?: number;
	properties: P;
	geometry: { type: 'Point'; coordinates: Position };
}

export interface LineFeature<P> {
	type: 'Feature';
	properties: P;
	geometry: { type: 'LineString'; coordinates: Position[] };
}

export interface PolygonFeature<P> {
	type: 'Feature';
	properties: P;
	geometry: { type: 'Polygon'; coordinates: Position[][] };
}

export interface FeatureCollection<F> {
	type: 'FeatureCollection';
	features: F[];
}

/** One marker: a route stop (numbered) or an account. */
export interface MapMarker {
	/** Document name the marker opens. */
	name: string;
	position: LatLng;
	/** The number drawn on the marker ("1", "2"…), or '' for a plain account. */
	label: string;
	title: string;
	/** Visit or account status, which colours the marker. */
	status: string | null;
}

export interface MarkerProperties {
	name: string;
	label: string;
	title: string;
	status: string;
	/** Draw order: the route's first stop on top. */
	rank: number;
}

function coordinates(position: LatLng): Position {
	return [position.lng, position.lat];
}

export function markerFeatures(markers: readonly MapMarker[]): FeatureCollection<PointFeature<MarkerProperties>> {
	return {
		type: 'FeatureCollection',
		features: markers
			.filter((marker) => isUsablePosition(marker.position))
			.map((marker, index) => ({
				type: 'Feature',
				id: index,
				properties: { name: marker.name, label: marker.label, title: marker.title, status: marker.status ?? '', rank: markers.length - index },
				geometry: { type: 'Point', coordinates: coordinates(marker.position) }
			}))
	};
}

/** The route as one line through its points in order; empty with fewer than two. */
export function routeLine(points: readonly LatLng[]): FeatureCollection<LineFeature<{ kind: 'route' }>> {
	const usable = points.filter(isUsablePosition);
	if (usable.length < 2) return { type: 'FeatureCollection', features: [] };
	return {
		type: 'FeatureCollection',
		features: [{ type: 'Feature', properties: { kind: 'route' }, geometry: { type: 'LineString', coordinates: usable.map(coordinates) } }]
	};
}

export function positionFeature(position: LatLng | null): FeatureCollection<PointFeature<{ kind: 'you' }>> {
	if (!isUsablePosition(position)) return { type: 'FeatureCollection', features: [] };
	return {
		type: 'FeatureCollection',
		features: [{ type: 'Feature', properties: { kind: 'you' }, geometry: { type: 'Point', coordinates: coordinates(position) } }]
	};
}

/** How far outside the outermost account the area outline runs. */
const AREA_MARGIN_M = 400;

/**
 * The outline of each territory's accounts, computed on the device: a map of the
 * rep's area that needs no tile server and follows the accounts wherever they are.
 */
export function territoryOutlines(
	accounts: readonly { territory: string | null; position: LatLng | null }[]
): FeatureCollection<PolygonFeature<{ territory: string }>> {
	const byTerritory = new Map<string, LatLng[]>();
	for (const account of accounts) {
		if (!isUsablePosition(account.position)) continue;
		const key = account.territory ?? '';
		const points = byTerritory.get(key) ?? [];
		points.push(account.position);
		byTerritory.set(key, points);
	}
	const features: PolygonFeature<{ territory: string }>[] = [];
	for (const [territory, points] of [...byTerritory].sort(([a], [b]) => a.localeCompare(b))) {
		const ring = outlineAround(points, AREA_MARGIN_M);
		if (ring.length >= 4) features.push({ type: 'Feature', properties: { territory }, geometry: { type: 'Polygon', coordinates: [ring.map(coordinates)] } });
	}
	return { type: 'FeatureCollection', features };
}
