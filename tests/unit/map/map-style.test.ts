import { describe, expect, it } from 'vitest';
import { isStyleDocument, loadMapStyle, OFFLINE_STYLE_URL, resolveStyleUrls, type StyleDocument } from '../../../src/lib/map/map-style';

const offlineStyle: StyleDocument = { version: 8, sources: { area: { type: 'geojson', data: '/map/area.geojson' } }, layers: [{ id: 'background', type: 'background' }] };
const tileStyle: StyleDocument = {
	version: 8,
	glyphs: 'fonts/{fontstack}/{range}.pbf',
	sprite: '/sprites/basic',
	sources: { streets: { type: 'vector', tiles: ['tiles/{z}/{x}/{y}.pbf'] }, meta: { type: 'vector', url: 'https://tiles.example.com/tiles.json' } },
	layers: []
};

/** A fetch answering from a table of URLs, failing (as offline) for anything else. */
function fetchFrom(table: Record<string, unknown>): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		if (!(url in table)) throw new TypeError('Failed to fetch');
		return new Response(JSON.stringify(table[url]), { status: 200, headers: { 'content-type': 'application/json' } });
	}) as typeof fetch;
}

class MemoryStorage {
	readonly items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.items.set(key, value);
	}
}

describe('map styles', () => {
	it('recognises a MapLibre style', () => {
		expect(isStyleDocument(offlineStyle)).toBe(true);
		expect(isStyleDocument({ version: 7, sources: {}, layers: [] })).toBe(false);
		expect(isStyleDocument('style')).toBe(false);
	});

	it('makes every URL in a style absolute, keeping tile templates intact', () => {
		const resolved = resolveStyleUrls(tileStyle, 'https://maps.example.com/styles/basic/style.json');
		expect(resolved.glyphs).toBe('https://maps.example.com/styles/basic/fonts/{fontstack}/{range}.pbf');
		expect(resolved.sprite).toBe('https://maps.example.com/sprites/basic');
		expect(resolved.sources.streets!.tiles).toEqual(['https://maps.example.com/styles/basic/tiles/{z}/{x}/{y}.pbf']);
		expect(resolved.sources.meta!.url).toBe('https://tiles.example.com/tiles.json');
		expect(resolveStyleUrls(offlineStyle, 'http://app.local/map/style.json').sources.area!.data).toBe('http://app.local/map/area.geojson');
	});

	it('uses the offline style when no style is configured', async () => {
		const loaded = await loadMapStyle(null, { fetch: fetchFrom({ [OFFLINE_STYLE_URL]: offlineStyle }), storage: null });
		expect(loaded.source).toBe('offline');
		expect(loaded.style.layers).toEqual(offlineStyle.layers);
	});

	it('remembers a configured style so it opens offline, and falls back to the offline style without one', async () => {
		const url = 'https://maps.example.com/style.json';
		const storage = new MemoryStorage();
		const online = await loadMapStyle(url, { fetch: fetchFrom({ [url]: tileStyle, [OFFLINE_STYLE_URL]: offlineStyle }), storage });
		expect(online.source).toBe('configured');

		const offline = await loadMapStyle(url, { fetch: fetchFrom({ [OFFLINE_STYLE_URL]: offlineStyle }), storage });
		expect(offline.source).toBe('remembered');
		expect(offline.style.sources.streets!.tiles).toEqual(['https://maps.example.com/tiles/{z}/{x}/{y}.pbf']);

		const never = await loadMapStyle(url, { fetch: fetchFrom({ [OFFLINE_STYLE_URL]: offlineStyle }), storage: new MemoryStorage() });
		expect(never.source).toBe('offline');
	});

	it('refuses something that is not a style', async () => {
		const url = 'https://maps.example.com/broken.json';
		const loaded = await loadMapStyle(url, { fetch: fetchFrom({ [url]: { hello: 'world' }, [OFFLINE_STYLE_URL]: offlineStyle }), storage: null });
		expect(loaded.source).toBe('offline');
	});
});
