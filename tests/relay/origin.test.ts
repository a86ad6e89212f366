// Links (invites, the neighbourhood's relay list, feed addresses) are built only from
// NOABER_PUBLIC_URL or a Host the operator allowed: a made-up Host header never ends up in them.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../relay/cli.ts';
import { configFromEnv } from '../../relay/config.ts';
import { parseAllowedHosts, parsePublicUrl } from '../../relay/origin.ts';
import { issueSetupToken } from '../../relay/setup-token.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { fakeApp, hostNeighbourhood, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';
import { startRelay } from '../../relay/main.ts';
import { Writable } from 'node:stream';

const run = promisify(execFile);
let relay: TestRelay | undefined;
stopAfterEach(() => relay);

const manager = {
	id: 'manager-0001',
	profile: { name: 'Fatima', area: 'Lindenlaan', phone: '', phoneVisibility: 'nobody', helpWith: [], helpNote: '' }
};

/** A request as a browser that reached the relay under `host` would send it. */
function send(
	port: number,
	host: string,
	path: string,
	options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<{ status: number; body: Record<string, unknown> }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host, 'content-type': 'application/json', ...options.headers } },
			(res) => {
				let text = '';
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
			}
		);
		req.on('error', reject);
		req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
	});
}

const setupBody = (token: string) => ({ token, details: emptyDetails('Lindenbuurt'), manager });

describe('the addresses in links', () => {
	it('NOABER_PUBLIC_URL must be an http(s) address without a path; the operator is told which variable is wrong', () => {
		expect(parsePublicUrl('https://Buurt.Example.nl/')).toBe('https://buurt.example.nl');
		expect(parsePublicUrl('http://192.168.1.20:3000')).toBe('http://192.168.1.20:3000');
		expect(parsePublicUrl('')).toBeUndefined();
		expect(parsePublicUrl(undefined)).toBeUndefined();
		for (const wrong of ['buurt.example.nl', 'ftp://buurt.example.nl', 'https://buurt.example.nl/noaber', 'https://x@buurt.example.nl', 'https://buurt.example.nl/?a=1', 'https://']) {
			expect(() => parsePublicUrl(wrong), wrong).toThrow(/^NOABER_PUBLIC_URL must be an http:\/\/ or https:\/\/ address/);
		}
		expect(parseAllowedHosts(' Buurthuis.local:3000, 192.168.1.20:3000 ,')).toEqual(['buurthuis.local:3000', '192.168.1.20:3000']);
		expect(() => parseAllowedHosts('buurthuis.local/x')).toThrow(/^NOABER_ALLOWED_HOSTS must list host names/);
		expect(configFromEnv({ NOABER_ALLOWED_HOSTS: 'a.local' }).allowedHosts).toEqual(['a.local']);
	});

	it('a wrong NOABER_PUBLIC_URL stops every command with exit code 2 and a message, not a stack trace', async () => {
		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`) };
		const env = { NOABER_DATA: tempDir(), NOABER_PUBLIC_URL: 'buurt.example.nl' };
		expect(await main(['create', 'Lindenbuurt'], out, env)).toBe(2);
		expect(lines).toEqual([expect.stringMatching(/^error: NOABER_PUBLIC_URL must be .* \(got "buurt\.example\.nl"\)$/)]);

		const child = run(process.execPath, ['bin/noaber.js', 'relay'], { env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' }, timeout: 15_000 });
		const failed = await child.then(() => undefined, (error: { code: number; stderr: string }) => error);
		expect(failed?.code).toBe(2);
		expect(failed?.stderr.trim()).toMatch(/^NOABER_PUBLIC_URL must be an http:\/\/ or https:\/\/ address/);
		expect(failed?.stderr).not.toMatch(/\n\s+at /);
	});

	it('without NOABER_PUBLIC_URL, setup under a Host that is not allowed is refused, keeps its token and says what to set', async () => {
		relay = await startTestRelay();
		const token = issueSetupToken(relay.data);
		const refused = await send(relay.port, 'buurt.evil.example', '/api/setup', { method: 'POST', body: setupBody(token) });
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({ error: 'host', message: expect.stringContaining('Set NOABER_PUBLIC_URL') });
		expect(relay.registry.list()).toEqual([]);
		expect(relay.logs.join('')).toContain('setup refused');
		expect(relay.logs.join('')).toContain('buurt.evil.example');

		// This machine's own names work, and the link is built from them.
		const local = await send(relay.port, `localhost:${relay.port}`, '/api/setup', { method: 'POST', body: setupBody(token) });
		expect(local.status).toBe(201);
		expect(local.body.relay).toBe(`ws://localhost:${relay.port}/sync`);
	});

	it('a host on NOABER_ALLOWED_HOSTS may be used, and NOABER_PUBLIC_URL wins over any Host', async () => {
		const data = tempDir();
		const logs: string[] = [];
		const base = { port: 0, host: '127.0.0.1', data, app: fakeApp(), logLevel: 'warn', maxPayload: 1 << 20, pollMs: 100 };
		const destination = new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) });
		const allowed = await startRelay({ ...base, publicUrl: undefined, allowedHosts: ['buurthuis.local'], logDestination: destination });
		relay = { ...allowed, data, url: `http://127.0.0.1:${allowed.port}`, logs };
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const auth = { authorization: `Bearer ${hosted.key}` };
		const feed = await send(allowed.port, 'buurthuis.local', '/api/feed', { headers: auth });
		expect(feed.status).toBe(200);
		expect(feed.body.ical).toMatch(/^http:\/\/buurthuis\.local\/ical\/[\w-]{32}\.ics$/);
		const other = await send(allowed.port, 'buurthuis.local:8080', '/api/feed', { headers: auth });
		expect(other).toEqual({ status: 400, body: { error: 'host', message: expect.stringContaining('NOABER_ALLOWED_HOSTS') } });
		await allowed.close();

		const fixed = await startRelay({ ...base, publicUrl: 'https://buurt.example.nl', logDestination: destination });
		relay = { ...fixed, data, url: `http://127.0.0.1:${fixed.port}`, logs };
		const token = issueSetupToken(data);
		// The registry already holds a neighbourhood; a fresh token still creates one more.
		const created = await send(fixed.port, 'buurt.evil.example', '/api/setup', { method: 'POST', body: setupBody(token) });
		expect(created.status).toBe(201);
		expect(created.body.relay).toBe('wss://buurt.example.nl/sync');
	});
});
