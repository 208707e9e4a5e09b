import { describe, expect, it } from 'vitest';
import { isMapResource, mayCacheMapResponse } from '../../../src/lib/map/tile-cache-rules';

const is = (url: string) => isMapResource(new URL(url));

function response(status: number, headers: Record<string, string> = {}, type = 'cors') {
	return { ok: status >= 200 && status < 300, status, type, headers: new Headers(headers) };
}

describe('which requests the service worker keeps for the map', () => {
	it('keeps tiles, glyphs, sprites, styles and TileJSON', () => {
		expect(is('https://tiles.example.com/planet/14/8423/5862.pbf')).toBe(true);
		expect(is('https://tile.example.org/14/8423/5862.png')).toBe(true);
		expect(is('https://tile.example.org/14/8423/5862@2x.webp')).toBe(true);
		expect(is('https://tiles.example.com/data/v3/14/8423/5862')).toBe(true);
		expect(is('https://tiles.example.com/fonts/Noto%20Sans%20Regular/0-255.pbf')).toBe(true);
		expect(is('https://tiles.example.com/sprites/basic@2x.json')).toBe(true);
		expect(is('https://tiles.example.com/styles/liberty/sprite@2x.png')).toBe(true);
		expect(is('https://tiles.example.com/styles/liberty/style.json')).toBe(true);
		expect(is('https://tiles.example.com/planet/tiles.json')).toBe(true);
	});

	it('leaves everything else alone', () => {
		expect(is('https://cdn.example.com/app.js')).toBe(false);
		expect(is('https://api.example.com/users/12')).toBe(false);
		expect(is('https://example.com/visits/abc')).toBe(false);
		expect(is('data:application/json,{}')).toBe(false);
	});

	it('stores only complete answers the server allows to be stored', () => {
		expect(mayCacheMapResponse(response(200))).toBe(true);
		expect(mayCacheMapResponse(response(200, { 'cache-control': 'public, max-age=86400' }))).toBe(true);
		expect(mayCacheMapResponse(response(200, { 'cache-control': 'no-store' }))).toBe(false);
		expect(mayCacheMapResponse(response(200, { 'cache-control': 'private, max-age=60' }))).toBe(false);
		expect(mayCacheMapResponse(response(204))).toBe(false);
		expect(mayCacheMapResponse(response(404))).toBe(false);
		expect(mayCacheMapResponse({ ok: false, status: 0, type: 'opaque', headers: new Headers() })).toBe(false);
	});
});
