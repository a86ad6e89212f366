#!/usr/bin/env node
// The operator command. `npm run build` compiles the relay to relay-build/ (relay/build.mjs), and a
// production install (`npm ci --omit=dev --omit=optional`, or NODE_ENV=production) runs that with plain Node. A
// development checkout runs the TypeScript sources through tsx instead, so a change is live at once.
import { existsSync } from 'node:fs';

const compiled = new URL('../relay-build/cli.js', import.meta.url);

async function sourceLoader() {
	if (process.env.NODE_ENV === 'production') return undefined;
	try {
		return await import('tsx/esm/api');
	} catch {
		return undefined; // a production install has no tsx
	}
}

const tsx = await sourceLoader();
let cli;
if (tsx) {
	tsx.register();
	cli = await import('../relay/cli.ts');
} else if (existsSync(compiled)) {
	process.setSourceMapsEnabled(true);
	cli = await import(compiled.href);
} else {
	console.error('Noaber is nog niet gebouwd / not built yet: run `npm run build` first.');
	process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
// Everything is flushed and closed by now. A library timer or socket that lingers (seen once in
// CI after "Noaber gestopt") must not keep a stopped relay alive for a service manager to kill.
setTimeout(() => process.exit(), 1000).unref();
