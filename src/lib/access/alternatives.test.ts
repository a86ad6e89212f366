import { describe, expect, it } from 'vitest';
import { setAlternatives } from './alternatives.ts';
import { callAccess } from './client.ts';

const OWN = 'wss://buurthuis.example.nl/sync';
const LIBRARY = 'wss://bibliotheek.example.nl/sync';
const me = { memberId: 'member-0001', deviceId: 'device-00000001', status: 'active', roles: [], actsFor: [], name: 'Ben' };

/** The association's relay is down; the library's answers. */
function network(seen: string[], down: string[]) {
	return (async (url: string | URL | Request) => {
		seen.push(String(url));
		if (down.some((host) => String(url).includes(host))) throw new TypeError('Failed to fetch');
		return new Response(JSON.stringify(me), { status: 200 });
	}) as typeof fetch;
}

describe('the access API when the own relay is down', () => {
	it('asks the neighbourhood\'s other relay with the same credential, own relay first', async () => {
		setAlternatives(OWN, [LIBRARY]);
		const seen: string[] = [];
		expect(await callAccess(OWN, 'me', {}, 'x', network(seen, ['buurthuis']))).toEqual({ ok: true, value: me });
		expect(seen).toEqual(['https://buurthuis.example.nl/api/access/me', 'https://bibliotheek.example.nl/api/access/me']);
	});

	it('goes elsewhere only when the own relay gave no answer at all, and is offline when none does', async () => {
		setAlternatives(OWN, [LIBRARY]);
		const seen: string[] = [];
		expect(await callAccess(OWN, 'me', {}, 'x', network(seen, []))).toEqual({ ok: true, value: me });
		expect(seen).toHaveLength(1);
		expect(await callAccess(OWN, 'me', {}, 'x', network([], ['buurthuis', 'bibliotheek']))).toEqual({ ok: false, reason: 'offline' });
	});
});
