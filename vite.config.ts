import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// Automerge's wasm is loaded with top-level await in the slim entry point.
	build: { target: 'esnext' },
	test: {
		include: ['src/**/*.test.ts', 'relay/**/*.test.ts', 'tests/relay/**/*.test.ts'],
		setupFiles: ['tests/setup-automerge.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 20_000
	}
});
