/**
 * Which requests the service worker keeps for the map, so tiles, glyphs and sprites
 * seen online are there offline. Pure, so the rules are tested without a worker.
 */

/** Not versioned with the app: tiles stay valid across releases. */
export const MAP_CACHE = 'outrider-map-tiles-v1';
/** Roughly a city at street zoom levels; the oldest go first past it. */
export const MAP_CACHE_MAX_ENTRIES = 3000;

const TILE = /\/\d{1,2}\/\d+\/\d+(@\d+(\.\d+)?x)?(\.(pbf|mvt|png|jpe?g|webp|avif))?$/i;
const GLYPHS = /\/\d+-\d+\.pbf$/i;
const SPRITE = /\/sprite(@\d+x)?\.(json|png)$|\/sprites\/[^/]+\.(json|png)$/i;
const STYLE_OR_TILEJSON = /(style|tiles|tilejson)\.json$/i;

/** A tile, glyph range, sprite, style or TileJSON, by the URL shapes tile servers use. */
export function isMapResource(url: URL): boolean {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
	const path = url.pathname;
	return TILE.test(path) || GLYPHS.test(path) || SPRITE.test(path) || STYLE_OR_TILEJSON.test(path);
}

/** What the response allows: only complete, readable answers, and never what the server says not to store. */
export function mayCacheMapResponse(response: { ok: boolean; status: number; type: string; headers: { get(name: string): string | null } }): boolean {
	if (!response.ok || response.status !== 200 || response.type === 'opaque') return false;
	const cacheControl = response.headers.get('cache-control')?.toLowerCase() ?? '';
	return !/\b(no-store|private)\b/.test(cacheControl);
}
