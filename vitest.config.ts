import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Integration tests each start a real relay on port 0; files run in parallel
		// processes, tests within a file run in order.
		pool: 'forks',
		fileParallelism: true,
		projects: [
			{
				extends: true,
				test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/unit/ui/**'] }
			},
			{
				// App state classes use runes: compile them for Svelte's browser runtime so
				// $derived and $effect really react as they do in the app.
				extends: true,
				plugins: [svelte()],
				resolve: { conditions: ['browser'] },
				test: {
					name: 'ui',
					include: ['tests/unit/ui/**/*.test.ts'],
					environment: './tests/helpers/client-environment.ts'
				}
			}
		]
	}
});
