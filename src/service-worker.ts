/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

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
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await worker.clients.claim();
		})()
	);
});

worker.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== worker.location.origin) return;
	if (NOT_THE_SHELL.some((prefix) => url.pathname.startsWith(prefix))) return;

	if (ASSETS.has(url.pathname)) {
		event.respondWith(cachedOrFetch(request));
	} else if (request.mode === 'navigate') {
		event.respondWith(shellFor(request));
	}
});

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
