import type { Environment } from 'vitest/environments';

/**
 * Node globals, but modules transformed as Vite transforms them for the browser, so
 * `.svelte.ts` state classes compile to Svelte's client runtime where effects run.
 */
const clientEnvironment: Environment = {
	name: 'client-node',
	viteEnvironment: 'client',
	setup() {
		return { teardown() {} };
	}
};

export default clientEnvironment;
