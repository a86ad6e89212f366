// Serves the built app, compressed as the build left it (brotli or gzip, as the browser accepts).
// Hashed files under /_app/immutable never change; everything else must be revalidated so a new
// service worker (and with it a new version of the app) is picked up.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import sirv from 'sirv';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const MISSING = `<!doctype html><html lang="nl"><meta charset="utf-8"><title>Noaber</title>
<p>De app is nog niet gebouwd. Voer <code>npm run build</code> uit en start de relay opnieuw.</p>
<p lang="en">The app has not been built yet. Run <code>npm run build</code> and restart the relay.</p></html>`;

export function staticApp(folder: string): Handler {
	if (!existsSync(join(folder, 'index.html'))) {
		return (_req, res) => {
			res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
			res.end(MISSING);
		};
	}
	const serve = sirv(folder, {
		single: true,
		etag: true,
		// The build writes a brotli and a gzip copy of every text file and of the wasm (svelte.config.js,
		// precompress): a phone on a weak signal gets 1.1 MB instead of 3.6 MB of Automerge.
		brotli: true,
		gzip: true,
		setHeaders(res, pathname) {
			res.setHeader(
				'cache-control',
				pathname.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache'
			);
			if (pathname.endsWith('.wasm')) res.setHeader('content-type', 'application/wasm');
			if (pathname.endsWith('.webmanifest')) res.setHeader('content-type', 'application/manifest+json');
		}
	});
	return (req, res) =>
		serve(req, res, () => {
			res.writeHead(404).end();
		});
}
