/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { isMapResource, MAP_CACHE, MAP_CACHE_MAX_ENTRIES, mayCacheMapResponse } from './lib/map/tile-cache-rules';

/**
 * Keeps the app shell on the device so the app opens with no network. Data never
 * passes through here: documents live in IndexedDB and sync over the websocket.
 */
const worker = self as unknown as ServiceWorkerGlobalScope;

const CACHE = `outrider-shell-${version}`;
/** With server rendering off, every route is the same HTML shell; the router reads the URL. */
const SHELL = '/';
const ASSETS = new Set([...build, ...files]);
/** A navigation waits this long on a weak signal before the cached shell is used instead. */
const NAVIGATION_TIMEOUT_MS = 3000;
const NOT_THE_SHELL = ['/api/', '/doc/', '/sync', '/healthz', '/metrics'];

worker.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll([...ASSETS, SHELL]);
			await worker.skipWaiting();
		})()
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			// Map tiles outlive app versions: they are the same tiles after an upgrade.
			for (const key of await caches.keys()) if (key !== CACHE && key !== MAP_CACHE) await caches.delete(key);
			await worker.clients.claim();
		})()
	);
});

worker.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== worker.location.origin) {
		// A tile server's tiles, glyphs and sprites: kept so the map works where they were seen.
		if (isMapResource(url)) event.respondWith(mapResource(request));
		return;
	}
	if (NOT_THE_SHELL.some((prefix) => url.pathname.startsWith(prefix))) return;

	if (ASSETS.has(url.pathname)) {
		event.respondWith(cachedOrFetch(request));
	} else if (request.mode === 'navigate') {
		event.respondWith(shellFor(request));
	} else if (isMapResource(url)) {
		event.respondWith(mapResource(request));
	}
});

/** The network's tile when it answers (kept for later), else the copy kept from an earlier visit. */
async function mapResource(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		if (mayCacheMapResponse(response)) {
			const copy = response.clone();
			void (async () => {
				const cache = await caches.open(MAP_CACHE);
				await cache.put(request, copy);
				await trimMapCache(cache);
			})().catch(() => {
				// Out of quota: the map still works online; offline it shows what was kept.
			});
		}
		return response;
	} catch (error) {
		const cached = await caches.match(request, { cacheName: MAP_CACHE });
		if (cached) return cached;
		throw error;
	}
}

let putsSinceTrim = 0;

/** Drops the oldest tiles past the cap; checked every 100 writes, since listing keys is not free. */
async function trimMapCache(cache: Cache): Promise<void> {
	if (++putsSinceTrim < 100) return;
	putsSinceTrim = 0;
	const keys = await cache.keys();
	for (const key of keys.slice(0, Math.max(0, keys.length - MAP_CACHE_MAX_ENTRIES))) await cache.delete(key);
}

async function cachedOrFetch(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: CACHE });
	return cached ?? fetch(request);
}

/** The network's page when it answers in time, else the cached shell. */
async function shellFor(request: Request): Promise<Response> {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), NAVIGATION_TIMEOUT_MS);
	try {
		const response = await fetch(request, { signal: controller.signal });
		if (response.ok) return response;
		return (await cachedShell()) ?? response;
	} catch (error) {
		const shell = await cachedShell();
		if (shell) return shell;
		throw error;
	} finally {
		clearTimeout(timer);
	}
}

async function cachedShell(): Promise<Response | undefined> {
	return caches.match(SHELL, { cacheName: CACHE });
}
