import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The relay (server/main.ts) mounts the adapter-node handler, so one process
		// serves the app, the HTTP API and the websockets.
		adapter: adapter({ out: 'build' }),
		// Absolute asset paths: offline, the service worker answers every page with
		// the one cached shell, whose asset URLs must not depend on the page's path.
		paths: { relative: false }
	}
};

export default config;
