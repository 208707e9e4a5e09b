import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// Integration tests each start a real relay on port 0; files run in parallel
		// processes, tests within a file run in order.
		pool: 'forks',
		fileParallelism: true
	}
});
