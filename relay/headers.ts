// Security headers on every response the relay serves: app pages, assets, API and feeds. They are
// headers rather than <meta> tags because frame-ancestors (no framing of a page that shows invite
// links) cannot be carried by a meta tag, and because a cached shell keeps the headers it was
// served with, so the service worker's offline pages are covered too.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/**
 * The CSP hashes of the inline scripts of a page: SvelteKit's bootstrap (it differs per build) and
 * the display script in app.html that runs before the first paint. A browser hashes the exact
 * text between the tags, so the text is hashed as written.
 */
export function inlineScriptHashes(html: string): string[] {
	const hashes: string[] = [];
	for (const [, attributes, body] of html.matchAll(INLINE_SCRIPT)) {
		if (/\bsrc\s*=/i.test(attributes)) continue;
		hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
	}
	return hashes;
}

function htmlFiles(folder: string): string[] {
	if (!existsSync(folder)) return [];
	return readdirSync(folder, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
		.map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The policy for the built app in `folder`. Hashes are read once, at start: like the static files
 * themselves (sirv lists them at start), a new build is served after a restart.
 *
 * - script-src: the app's own files, the hashed inline scripts, and 'wasm-unsafe-eval' for the
 *   Automerge wasm (it compiles WebAssembly, it does not allow eval of JavaScript).
 * - style-src 'unsafe-inline': Svelte writes style attributes from templates (and app.html has
 *   one); styles cannot run script, and a hash per attribute is not possible.
 * - img-src https: the map's tile server is chosen by the community manager in the neighbourhood's
 *   own data (src/lib/map/view.ts accepts only https), so the relay cannot list it; data: for the
 *   marker images in Leaflet's stylesheet, blob: for files the app makes (downloads, prints).
 * - connect-src ws: wss: http: https:: a device syncs with the relays its neighbourhoods list, and
 *   those may be other hosts than the one serving the app (a neighbourhood moved to another relay,
 *   a device in neighbourhoods on two relays); /api/feed is asked of the same relays. The list is
 *   in peer data, not known to this relay, so only schemes are named. Browsers block ws:/http: from
 *   an https page on their own (mixed content).
 * - frame-ancestors 'none', object-src 'none', base-uri 'none', form-action 'self': nothing may frame
 *   the app, embed plugins, re-base its relative links or post its forms elsewhere.
 */
export function contentSecurityPolicy(folder: string): string {
	const hashes = [...new Set(htmlFiles(folder).flatMap((file) => inlineScriptHashes(readFileSync(file, 'utf8'))))];
	return [
		"default-src 'self'",
		`script-src 'self' 'wasm-unsafe-eval' 'report-sample'${hashes.map((h) => ` ${h}`).join('')}`,
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob: https:",
		"font-src 'self'",
		"connect-src 'self' ws: wss: http: https:",
		"worker-src 'self'",
		"manifest-src 'self'",
		"media-src 'none'",
		"object-src 'none'",
		"frame-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}

/** Every header but the policy is the same for any build. */
export function securityHeaders(folder: string): Record<string, string> {
	return {
		'content-security-policy': contentSecurityPolicy(folder),
		'x-content-type-options': 'nosniff',
		// Older Safari on a resident's iPad may predate frame-ancestors.
		'x-frame-options': 'DENY',
		// strict-origin rather than no-referrer: tile servers such as OpenStreetMap's require a
		// Referer from web pages, and the origin alone is all they get. Invite keys sit in the
		// fragment, which is never sent, and no path leaves the app either.
		'referrer-policy': 'strict-origin',
		'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
		'cross-origin-opener-policy': 'same-origin',
		'cross-origin-resource-policy': 'same-origin'
	};
}

/** Sets the headers on a response before any handler writes it; handlers may still add their own. */
export function securityHeadersHook(folder: string): (res: ServerResponse) => void {
	const headers = Object.entries(securityHeaders(folder));
	return (res) => {
		for (const [name, value] of headers) res.setHeader(name, value);
	};
}
