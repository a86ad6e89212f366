import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { modulePreload } from './src/build/module-preload.ts';
import { repoPatches } from './src/lib/automerge/repo-patches.ts';

// The home page's news shows once the documents are open: its files come without links ahead.
const preload = modulePreload({ unhurried: ['src/routes/HomeNews.svelte'] });

export default defineConfig({
	plugins: [
		// Compiles messages/<language>.json into src/lib/paraglide on every build and dev start. Under
		// vitest its project handle keeps the process alive, so `test:unit` compiles once beforehand.
		...(process.env.VITEST ? [] : [paraglideVitePlugin({ project: './project.inlang', outdir: './src/lib/paraglide' })]),
		sveltekit(),
		repoPatches(),
		preload.plugin
	],
	// Automerge's wasm is loaded with top-level await in the slim entry point.
	build: { target: 'esnext', modulePreload: { resolveDependencies: preload.resolveDependencies } },
	// The documents worker (neighbourhood/documents.worker.ts) loads Automerge as the page does.
	worker: { format: 'es', plugins: () => [repoPatches()] },
	test: {
		include: ['src/**/*.test.ts', 'relay/**/*.test.ts', 'tests/relay/**/*.test.ts'],
		setupFiles: ['tests/setup-automerge.ts', 'tests/setup-texts.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 20_000
	}
});
