// Every response of the relay carries the security headers, and the page's inline scripts are
// allowed by their hash (the browser tests check the real build in Chromium).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../../relay/headers.ts';
import { fakeApp, hostNeighbourhood, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
stopAfterEach(() => relay);

const BOOT = 'window.started = true;';
// sha256 of BOOT, computed with `printf %s '…' | openssl dgst -sha256 -binary | base64`.
const BOOT_HASH = "'sha256-zoVSi18jtsR7IKR3l6ObXCdaKf30QeIkXK8uzVa0DqY='";

function directives(policy: string | null): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const part of (policy ?? '').split(';')) {
		const [name, ...values] = part.trim().split(/\s+/);
		if (name) map.set(name, values);
	}
	return map;
}

function expectSecured(response: Response, what: string) {
	const policy = directives(response.headers.get('content-security-policy'));
	expect(policy.get('frame-ancestors'), what).toEqual(["'none'"]);
	expect(policy.get('object-src'), what).toEqual(["'none'"]);
	expect(policy.get('script-src'), what).toContain("'wasm-unsafe-eval'");
	expect(policy.get('script-src'), what).not.toContain("'unsafe-inline'");
	expect(policy.get('script-src'), what).not.toContain("'unsafe-eval'");
	expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
	expect(response.headers.get('referrer-policy'), what).toBe('strict-origin');
	expect(response.headers.get('x-frame-options'), what).toBe('DENY');
	expect(response.headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
	expect(response.headers.get('permissions-policy'), what).toContain('camera=()');
}

describe('security headers', () => {
	it('hashes inline scripts exactly as written and leaves scripts with a src alone', () => {
		const html = `<script>${BOOT}</script><script type="module" src="/x.js"></script>
<div><SCRIPT>
			const x = 1;
		</SCRIPT></div>`;
		expect(inlineScriptHashes(html)).toEqual([BOOT_HASH, "'sha256-4DDKNN40PC/Qwec2kTHOeZo702wz76be/WssTUXedzo='"]);
		expect(inlineScriptHashes('<p>no scripts</p>')).toEqual([]);
	});

	it('are on every response: pages, assets, health, setup, feeds, and the not-built page', async () => {
		const app = fakeApp();
		writeFileSync(join(app, 'index.html'), `<!doctype html><title>Noaber</title><script>${BOOT}</script><p>app shell</p>`);
		relay = await startTestRelay({ app });
		await hostNeighbourhood(relay, 'Lindenbuurt');

		const page = await fetch(`${relay.url}/hulp`);
		expect(page.status).toBe(200);
		expectSecured(page, 'page');
		const policy = directives(page.headers.get('content-security-policy'));
		expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'report-sample'", BOOT_HASH]);
		// Tiles come from the tile server the manager chose; websockets go to the neighbourhood's relays.
		expect(policy.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'https:', 'data:']));
		expect(policy.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'wss:', 'https:']));
		// The page's own cache rule is kept next to the headers.
		expect(page.headers.get('cache-control')).toBe('no-cache');

		const responses: Array<[string, Response]> = [
			['asset', await fetch(`${relay.url}/_app/immutable/start.abc123.js`)],
			['missing asset', await fetch(`${relay.url}/_app/immutable/gone.js`)],
			['health', await fetch(`${relay.url}/healthz`)],
			['setup', await fetch(`${relay.url}/api/setup`)],
			['feed address', await fetch(`${relay.url}/api/feed`)],
			['feed', await fetch(`${relay.url}/ical/${'x'.repeat(32)}.ics`)]
		];
		expect(responses.map(([what, r]) => [what, r.status])).toEqual([
			['asset', 200],
			['missing asset', 404],
			['health', 200],
			['setup', 405],
			['feed address', 401],
			['feed', 404]
		]);
		for (const [what, response] of responses) expectSecured(response, what);
		await relay.close();

		relay = await startTestRelay({ app: tempDir('noaber-no-app-') });
		const unbuilt = await fetch(`${relay.url}/`);
		expect(unbuilt.status).toBe(503);
		expectSecured(unbuilt, 'not built');
	});
});
