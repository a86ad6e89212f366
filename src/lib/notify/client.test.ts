import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { NotifyAnswers, NotifyRequests, type NotifyAction } from './api.ts';
import { notifyChoices, pushKey, subscribePush, unsubscribePush } from './client.ts';

const target = { relay: 'wss://buurt.example.nl/sync', credential: 'device-00000001.AAAAAAAAAAAAAAAAAAAAAAAA' };
const subscription = {
	endpoint: 'https://push.example.org/send/abc',
	expirationTime: null,
	keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' }
};

interface Seen {
	action: NotifyAction;
	body: unknown;
}

/**
 * A relay as the contract describes it: every request must be a valid one with the device's
 * credential in the header (never in the address); it answers with what the test gives.
 */
function relayDouble(answers: Partial<Record<NotifyAction, unknown>>, seen: Seen[] = []) {
	return (async (url: string | URL | Request, init?: RequestInit) => {
		const address = new URL(String(url));
		const action = address.pathname.replace('/api/notify/', '') as NotifyAction;
		expect(address.origin).toBe('https://buurt.example.nl');
		expect(address.search).toBe('');
		expect(init?.method).toBe('POST');
		expect(new Headers(init?.headers).get('authorization')).toBe(`Bearer ${target.credential}`);
		const body: unknown = JSON.parse(String(init?.body));
		expect(v.safeParse(NotifyRequests[action], body).success, `request for ${action}`).toBe(true);
		seen.push({ action, body });
		const answer = answers[action];
		if (answer === undefined) return new Response('{"error":"unknown"}', { status: 404 });
		return new Response(JSON.stringify(answer), { status: 200 });
	}) as typeof fetch;
}

describe('the notify API from the app', () => {
	it('asks for the key, hands over the subscription with the choices, and forgets it again', async () => {
		const seen: Seen[] = [];
		const relay = relayDouble({ key: { publicKey: 'BPublicKeyOfTheRelay_-' }, subscribe: {}, unsubscribe: {} }, seen);
		expect(await pushKey(target, relay)).toEqual({ ok: true, value: { publicKey: 'BPublicKeyOfTheRelay_-' } });
		const choice = { kinds: ['response', 'accepted'] as const, weekly: false, language: 'nl' as const };
		expect(await subscribePush(target, { subscription, choice: { ...choice, kinds: [...choice.kinds] } }, relay)).toEqual({ ok: true, value: {} });
		expect(await unsubscribePush(target, relay)).toEqual({ ok: true, value: {} });
		expect(seen.map((s) => s.action)).toEqual(['key', 'subscribe', 'unsubscribe']);
		expect(seen[1]!.body).toEqual({ subscription, choice: { kinds: ['response', 'accepted'], weekly: false, language: 'nl' } });
	});

	it('reads what the relay holds for this device', async () => {
		const held = { push: { kinds: ['moved-up'], weekly: true, language: 'en' }, digest: null, mailAvailable: false };
		expect(v.safeParse(NotifyAnswers.choices, held).success).toBe(true);
		expect(await notifyChoices(target, relayDouble({ choices: held }))).toEqual({ ok: true, value: held });
	});

	it('sends nothing the relay would refuse: a subscription to a plain-http push service', async () => {
		const seen: Seen[] = [];
		const bad = { ...subscription, endpoint: 'http://push.example.org/send/abc' };
		const answer = await subscribePush(target, { subscription: bad, choice: { kinds: [], weekly: false, language: 'nl' } }, relayDouble({ subscribe: {} }, seen));
		expect(answer).toEqual({ ok: false, reason: 'invalid' });
		expect(seen).toEqual([]);
	});

	it('turns an odd answer, a refusal, an older relay and no network into something the profile can word', async () => {
		expect(await pushKey(target, relayDouble({ key: { publicKey: 'not a key!' } }))).toEqual({ ok: false, reason: 'invalid' });
		expect(await pushKey(target, relayDouble({}))).toEqual({ ok: false, reason: 'unavailable' });
		const refusing = (async () => new Response('{"error":"credential"}', { status: 401 })) as typeof fetch;
		expect(await unsubscribePush(target, refusing)).toEqual({ ok: false, reason: 'refused' });
		const failing = (async () => new Response('oops', { status: 503 })) as typeof fetch;
		expect(await unsubscribePush(target, failing)).toEqual({ ok: false, reason: 'offline' });
		const offline = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof fetch;
		expect(await notifyChoices(target, offline)).toEqual({ ok: false, reason: 'offline' });
	});
});
