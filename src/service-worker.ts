/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

/**
 * Keeps the app shell on the device so the app opens with no network. API calls
 * and the websocket are never cached: data lives in IndexedDB, not here.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `outrider-shell-${version}`;
const SHELL = '/';
const ASSETS = [...build, ...files, SHELL];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(ASSETS))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (url.pathname.startsWith('/api/') || url.pathname === '/sync' || url.pathname.startsWith('/doc/')) return;
	if (url.pathname === '/healthz' || url.pathname === '/metrics') return;

	if (request.mode === 'navigate') {
		// Every page is the same client-rendered shell: fresh when online, cached when not.
		event.respondWith(
			fetch(request)
				.then((response) => {
					if (response.ok) void caches.open(CACHE).then((cache) => cache.put(SHELL, response.clone()));
					return response;
				})
				.catch(async () => (await caches.match(SHELL)) ?? Response.error())
		);
		return;
	}
	event.respondWith(
		caches.match(request).then((cached) => cached ?? fetch(request))
	);
});
