import { describe, expect, it } from 'vitest';
import { callAccess } from './client.ts';

const relay = 'wss://buurt.example.nl/sync';
const answering = (status: number, body: unknown, seen: Array<{ url: string; init?: RequestInit }> = []) =>
	(async (url: string | URL | Request, init?: RequestInit) => {
		seen.push({ url: String(url), init });
		return new Response(JSON.stringify(body), { status });
	}) as typeof fetch;

describe('the access API from the app', () => {
	it('sends the credential in a header, never in the address, and reads a valid answer', async () => {
		const seen: Array<{ url: string; init?: RequestInit }> = [];
		const me = { memberId: 'member-0001', deviceId: 'device-00000001', status: 'active', roles: ['manager'], actsFor: [], name: 'Fatima' };
		const answer = await callAccess(relay, 'me', {}, 'device-00000001.AAAAAAAAAAAAAAAAAAAAAAAA', answering(200, me, seen));
		expect(answer).toEqual({ ok: true, value: me });
		expect(seen[0]!.url).toBe('https://buurt.example.nl/api/access/me');
		expect(new Headers(seen[0]!.init?.headers).get('authorization')).toBe('Bearer device-00000001.AAAAAAAAAAAAAAAAAAAAAAAA');
	});

	it('turns a refusal, an odd answer and no network into something a page can word', async () => {
		expect(await callAccess(relay, 'me', {}, 'x', answering(403, { error: 'removed' }))).toEqual({ ok: false, reason: 'removed' });
		expect(await callAccess(relay, 'me', {}, 'x', answering(200, { memberId: 1 }))).toEqual({ ok: false, reason: 'invalid' });
		const offline = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof fetch;
		expect(await callAccess(relay, 'me', {}, 'x', offline)).toEqual({ ok: false, reason: 'offline' });
	});
});
