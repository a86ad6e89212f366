import { describe, expect, it } from 'vitest';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { readMembers } from '../../src/lib/members/view.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { parseSecret } from '../../src/lib/access/secret.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { readNeighbourhood } from '../../src/lib/neighbourhood/view.ts';
import { issueSetupToken } from '../../relay/setup-token.ts';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { client, fakeApp, find, startTestRelay, tempDir, type TestRelay, stopAfterEach } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

const manager = {
	id: 'manager-0001',
	profile: { name: 'Fatima', area: 'Lindenlaan', phone: '', phoneVisibility: 'nobody', helpWith: [], helpNote: '' }
};

function setup(body: unknown) {
	return fetch(`${relay!.url}/api/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

describe('the relay over HTTP', () => {
	it('reports its health', async () => {
		relay = await startTestRelay();
		const response = await fetch(`${relay.url}/healthz`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ ok: true, neighbourhoods: 0 });
	});

	it('says it is ready to take changes, and answers 404 (never the app) on its own paths it does not know', async () => {
		relay = await startTestRelay();
		const ready = await fetch(`${relay.url}/readyz`);
		expect(ready.status).toBe(200);
		expect(ready.headers.get('cache-control')).toBe('no-store');
		expect(await ready.json()).toEqual({ ready: true });
		for (const path of ['/metrics/extra', '/api/nothing', '/api/access/', '/ical/kort.ics', '/sync', '/healthz/extra', '/readyz/']) {
			const response = await fetch(`${relay.url}${path}`);
			expect(response.status, path).toBe(404);
			expect(await response.json(), path).toEqual({ error: 'unknown' });
		}
		// A page of the app whose name merely starts like one of them is still the app.
		expect(await (await fetch(`${relay.url}/apiwijzer`)).text()).toContain('app shell');
	});

	it('serves the app with a fallback for every page, and caches only hashed files for long', async () => {
		relay = await startTestRelay();
		const page = await fetch(`${relay.url}/leden`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('app shell');
		expect(page.headers.get('cache-control')).toBe('no-cache');
		const asset = await fetch(`${relay.url}/_app/immutable/start.abc123.js`);
		expect(asset.status).toBe(200);
		expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		const index = await fetch(`${relay.url}/`);
		expect(index.headers.get('cache-control')).toBe('no-cache');
	});

	it('creates the first neighbourhood through the one-time setup link', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);

		expect((await setup({ token: 'wrong', details: emptyDetails('X'), manager })).status).toBe(403);

		const invalid = await setup({
			token,
			details: { ...emptyDetails(''), contactPhone: 'bel maar' },
			manager: { id: 'x', profile: { ...manager.profile, name: '' } }
		});
		expect(invalid.status).toBe(400);
		expect(await invalid.json()).toEqual({
			error: 'invalid',
			errors: { name: 'required', contactPhone: 'phone', 'manager.name': 'required', 'manager.id': 'invalid' }
		});
		expect((await setup('not an object')).status).toBe(400);

		const created = await setup({ token, details: { ...emptyDetails('Lindenbuurt'), contactName: 'Fatima' }, manager });
		expect(created.status).toBe(201);
		const body = (await created.json()) as { credential: string; relay: string; root: string };
		expect(body.relay).toBe(`ws://127.0.0.1:${relay.port}/sync`);
		// The manager's device gets its own credential, in the answer's body and nowhere else.
		expect(parseSecret(body.credential)).toBeDefined();

		const managersDevice = client(relay, body.credential);
		repos.push(managersDevice);
		const root = await find<RootDoc>(managersDevice, body.root);
		const read = readNeighbourhood(root.doc());
		expect(read.ok && read.neighbourhood.name).toBe('Lindenbuurt');
		expect(read.ok && read.neighbourhood.managers).toEqual(['manager-0001']);
		const members = await find<MembersDoc>(managersDevice, read.ok ? read.neighbourhood.docs.members : '');
		expect(readMembers(members.doc()).items.map((m) => m.name)).toEqual(['Fatima']);

		// The relay, not the document, knows who runs it.
		const [fatima] = relay.access.members(relay.registry.list()[0]!.id).members;
		expect(fatima).toMatchObject({ id: 'manager-0001', name: 'Fatima', status: 'active', roles: ['manager'] });

		// One-time: the same link cannot create a second neighbourhood.
		expect((await setup({ token, details: emptyDetails('Nog een'), manager })).status).toBe(403);
		expect(relay.registry.list()).toHaveLength(1);
	});

	it('serves what the build compressed (brotli or gzip, as the browser accepts), the wasm included', async () => {
		const app = fakeApp();
		const wasm = new Uint8Array(64 * 1024).map((_, i) => (i * 7) % 13);
		const file = join(app, '_app/immutable/automerge.abc123.wasm');
		writeFileSync(file, wasm);
		writeFileSync(`${file}.br`, brotliCompressSync(wasm));
		writeFileSync(`${file}.gz`, gzipSync(wasm));
		relay = await startTestRelay({ app });
		const get = (encoding: string) =>
			new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
				request({ host: '127.0.0.1', port: relay!.port, path: '/_app/immutable/automerge.abc123.wasm', headers: { 'accept-encoding': encoding } }, (res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
				})
					.on('error', reject)
					.end();
			});
		const br = await get('gzip, deflate, br');
		expect(br.headers).toMatchObject({ 'content-encoding': 'br', 'content-type': 'application/wasm', vary: 'Accept-Encoding', 'cache-control': 'public, max-age=31536000, immutable' });
		expect(new Uint8Array(brotliDecompressSync(br.body))).toEqual(wasm);
		expect(br.body.length).toBeLessThan(wasm.length / 4);
		const gz = await get('gzip');
		expect(gz.headers['content-encoding']).toBe('gzip');
		expect(new Uint8Array(gunzipSync(gz.body))).toEqual(wasm);
		const plain = await get('identity');
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(new Uint8Array(plain.body)).toEqual(wasm);
	});

	it('says how to build the app when it has not been built', async () => {
		relay = await startTestRelay({ app: tempDir('noaber-no-app-') });
		const page = await fetch(`${relay.url}/`);
		expect(await page.text()).toContain('npm run build');
		expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
	});

	it('keeps the setup token when a made-up Host header makes the request unusable', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);
		const body = JSON.stringify({ token, details: emptyDetails('Lindenbuurt'), manager });
		const status = await new Promise<number>((resolve, reject) => {
			const req = request(
				{ host: '127.0.0.1', port: relay!.port, path: '/api/setup', method: 'POST', headers: { host: 'evil.example/x?', 'content-type': 'application/json' } },
				(res) => {
					res.resume();
					resolve(res.statusCode ?? 0);
				}
			);
			req.on('error', reject);
			req.end(body);
		});
		expect(status).toBe(400);
		expect((await setup({ token, details: emptyDetails('Lindenbuurt'), manager })).status).toBe(201);
	});

	it('refuses an oversized setup request', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);
		const response = await setup({ token, details: { ...emptyDetails('X'), description: 'x'.repeat(100_000) }, manager });
		expect(response.status).toBe(413);
	});
});
