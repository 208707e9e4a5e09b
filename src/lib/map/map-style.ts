/**
 * The map's style: the offline one shipped in static/ or a deployment's own
 * (`MAP_STYLE_URL`). Styles are fetched here rather than by MapLibre so relative
 * URLs inside them can be made absolute (MapLibre's workers cannot resolve them)
 * and so the last style seen online still opens the map offline.
 */

/** Shipped with the app and cached by the service worker like any other file. */
export const OFFLINE_STYLE_URL = '/map/style.json';

/** The parts of a MapLibre style this code touches; everything else passes through. */
export interface StyleDocument {
	version: 8;
	sources: Record<string, Record<string, unknown>>;
	layers: Record<string, unknown>[];
	glyphs?: string;
	sprite?: string | { id: string; url: string }[];
	[key: string]: unknown;
}

export function isStyleDocument(value: unknown): value is StyleDocument {
	if (typeof value !== 'object' || value === null) return false;
	const style = value as Record<string, unknown>;
	return style.version === 8 && typeof style.sources === 'object' && style.sources !== null && Array.isArray(style.layers);
}

function absolute(url: string, base: string): string {
	// Templates like {z}/{x}/{y} and {fontstack} survive URL parsing only unencoded.
	if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
	try {
		return new URL(url, base).href.replace(/%7B/gi, '{').replace(/%7D/gi, '}');
	} catch {
		return url;
	}
}

/** A copy of the style with every source, tile, glyph and sprite URL made absolute against `base`. */
export function resolveStyleUrls(style: StyleDocument, base: string): StyleDocument {
	const sources: StyleDocument['sources'] = {};
	for (const [id, source] of Object.entries(style.sources)) {
		const copy: Record<string, unknown> = { ...source };
		if (typeof copy.url === 'string') copy.url = absolute(copy.url, base);
		if (typeof copy.data === 'string') copy.data = absolute(copy.data, base);
		if (Array.isArray(copy.tiles)) copy.tiles = copy.tiles.map((tile) => (typeof tile === 'string' ? absolute(tile, base) : tile));
		sources[id] = copy;
	}
	const resolved: StyleDocument = { ...style, sources };
	if (typeof style.glyphs === 'string') resolved.glyphs = absolute(style.glyphs, base);
	if (typeof style.sprite === 'string') resolved.sprite = absolute(style.sprite, base);
	else if (Array.isArray(style.sprite)) resolved.sprite = style.sprite.map((sprite) => ({ ...sprite, url: absolute(sprite.url, base) }));
	return resolved;
}

export interface StyleStorage {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
}

export interface LoadedStyle {
	style: StyleDocument;
	/** Where it came from: the configured style, its copy from the last time online, or the offline one. */
	source: 'configured' | 'remembered' | 'offline';
}

const REMEMBERED_KEY = 'outrider.mapStyle';

async function fetchStyle(url: string, fetcher: typeof fetch, signal?: AbortSignal): Promise<StyleDocument> {
	const response = await fetcher(url, { signal });
	if (!response.ok) throw new Error(`map style ${url}: HTTP ${response.status}`);
	const body: unknown = await response.json();
	if (!isStyleDocument(body)) throw new Error(`map style ${url} is not a MapLibre style (version 8)`);
	const resolved = resolveStyleUrls(body, new URL(url, globalThis.location?.href ?? 'http://localhost/').href);
	return inlineLocalGeoJson(resolved, fetcher, signal);
}

/**
 * GeoJSON the app itself serves is fetched here, in the page, and put into the style:
 * the page's requests go through the service worker's cache, so the shipped area
 * data draws offline whatever MapLibre's workers can reach.
 */
async function inlineLocalGeoJson(style: StyleDocument, fetcher: typeof fetch, signal?: AbortSignal): Promise<StyleDocument> {
	const origin = globalThis.location?.origin;
	if (!origin) return style;
	const sources = { ...style.sources };
	for (const [id, source] of Object.entries(sources)) {
		if (source.type !== 'geojson' || typeof source.data !== 'string' || !source.data.startsWith(`${origin}/`)) continue;
		try {
			const response = await fetcher(source.data, { signal });
			if (response.ok) sources[id] = { ...source, data: (await response.json()) as unknown };
		} catch {
			// Left as a URL: MapLibre tries it itself, and the map draws without it if that fails too.
		}
	}
	return { ...style, sources };
}

/**
 * The configured style when it loads, else the copy kept from the last time it did,
 * else the offline style. A map always opens, signal or not.
 */
export async function loadMapStyle(
	configuredUrl: string | null,
	deps: { fetch: typeof fetch; storage: StyleStorage | null; signal?: AbortSignal }
): Promise<LoadedStyle> {
	if (configuredUrl) {
		try {
			const style = await fetchStyle(configuredUrl, deps.fetch, deps.signal);
			try {
				deps.storage?.setItem(REMEMBERED_KEY, JSON.stringify({ url: configuredUrl, style }));
			} catch {
				// A full storage only costs the offline copy of the style.
			}
			return { style, source: 'configured' };
		} catch (error) {
			if (deps.signal?.aborted) throw error;
			const remembered = readRemembered(deps.storage, configuredUrl);
			if (remembered) return { style: remembered, source: 'remembered' };
		}
	}
	return { style: await fetchStyle(OFFLINE_STYLE_URL, deps.fetch, deps.signal), source: 'offline' };
}

function readRemembered(storage: StyleStorage | null, url: string): StyleDocument | undefined {
	try {
		const raw = storage?.getItem(REMEMBERED_KEY);
		if (!raw) return undefined;
		const parsed = JSON.parse(raw) as { url?: unknown; style?: unknown };
		return parsed.url === url && isStyleDocument(parsed.style) ? parsed.style : undefined;
	} catch {
		return undefined;
	}
}
