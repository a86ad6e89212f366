// Compiles the relay, with the app's domain modules it shares, to JavaScript at build time
// (`npm run build`), so a production install runs it with plain Node: no TypeScript and no
// runtime compiler. Packages stay outside the bundle and come from node_modules as installed, so
// `dependencies` in package.json must name every package the relay imports (tests/relay/compiled.test.ts).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/** Where the compiled relay goes: relay-build/, where bin/noaber.js looks for it. */
export const OUT = 'relay-build';

// Chunk names carry a hash: chunks of an earlier build would stay beside the new ones.
rmSync(OUT, { recursive: true, force: true });
await build({
	entryPoints: ['relay/cli.ts'],
	outdir: OUT,
	bundle: true,
	splitting: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	// Stack traces in the operator's log name the source files, not the bundle's lines.
	sourcesContent: false,
	chunkNames: 'chunks/[name]-[hash]',
	logLevel: 'warning'
});
