// Phone notifications through a running relay: a device switches them on and off through
// /api/notify with its own credential, and whatever takes a device away (a manager, the
// operator's shell, the device itself) deletes its subscription at once.
import { afterEach, describe, expect, it } from 'vitest';
import { AccessBook } from '../../relay/access-book.ts';
import { Subscriptions } from '../../relay/push/subscriptions.ts';
import { NEWS_KINDS } from '../../src/lib/news/item.ts';
import type { Granted } from '../../src/lib/access/api.ts';
import { accessCall, eventually, hostNeighbourhood, newMember, startTestRelay, tempDir, type TestRelay } from './harness.ts';
import { startPushService, type StandIn } from './push-service.ts';
import { fakeClock, item, NAMES, testText } from './push-world.ts';

const N = 'lindenbuurt';
/** Ten in the morning in Amsterdam: these tests must not fall in quiet hours when they run at night. */
const daytime = () => ({ text: testText, clock: fakeClock(Date.UTC(2026, 11, 1, 9)), localEndpoints: true });
const relays: TestRelay[] = [];
const services: StandIn[] = [];
afterEach(async () => {
	for (const relay of relays.splice(0)) await relay.close();
	await Promise.all(services.splice(0).map((s) => s.close()));
});

async function notify(relay: TestRelay, action: string, body: unknown, credential?: string, method = 'POST') {
	const response = await fetch(`${relay.url}/api/notify/${action}`, {
		method,
		headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
		...(method === 'POST' ? { body: JSON.stringify(body) } : {})
	});
	const text = await response.text();
	return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

async function setting(data = tempDir()) {
	const relay = await startTestRelay({ data, push: daytime() });
	relays.push(relay);
	const service = await startPushService();
	services.push(service);
	const member = (name: string, roles: Array<'manager' | 'intermediary'> = []) => {
		const granted = newMember(relay.access, N, { name, roles });
		NAMES[granted.memberId] = name;
		return granted;
	};
	const switchOn = async (who: Granted, language: 'nl' | 'en' = 'nl') => {
		const { id, ...subscription } = service.subscribe();
		const answer = await notify(relay, 'subscribe', { subscription, choice: { kinds: [...NEWS_KINDS], weekly: false, language } }, who.credential);
		expect(answer).toMatchObject({ status: 200, body: {} });
		return id;
	};
	return { relay, service, member, switchOn };
}

describe('/api/notify', () => {
	it('switches a device on with the relay key, tells it what it chose, and its phone gets the push', async () => {
		const { relay, service, member, switchOn } = await setting();
		const anna = member('Anna');
		const bert = member('Bert');
		const key = await notify(relay, 'key', {}, anna.credential);
		expect(key).toMatchObject({ status: 200, body: { publicKey: relay.push.vapid.publicKey } });
		expect(key.headers.get('access-control-allow-origin')).toBe('*');
		expect((await notify(relay, 'choices', {}, anna.credential)).body).toEqual({ push: null, digest: null, mailAvailable: false });
		const annas = await switchOn(anna, 'en');
		expect((await notify(relay, 'choices', {}, anna.credential)).body).toEqual({
			push: { kinds: [...NEWS_KINDS], weekly: false, language: 'en' },
			digest: null,
			mailAvailable: false
		});
		relay.push.news(N, item('response', { for: anna.memberId, actor: bert.memberId, post: 'postAnna1' }));
		const [push] = await eventually(() => service.received, (r) => r.length === 1, 5000);
		expect(push).toMatchObject({ id: annas, signedBy: relay.push.vapid.publicKey });
		expect(push!.payload).toMatchObject({ body: 'Bert wants to help with boodschappen', path: '/hulp/postAnna1' });
	});

	it('unsubscribe deletes the subscription before it answers, and nothing more arrives', async () => {
		const { relay, service, member, switchOn } = await setting();
		const anna = member('Anna');
		const bert = member('Bert');
		await switchOn(anna);
		const berts = await switchOn(bert);
		expect(await notify(relay, 'unsubscribe', {}, anna.credential)).toMatchObject({ status: 200, body: {} });
		expect(relay.push.subscriptions.get(anna.deviceId)).toBeUndefined();
		expect(new Subscriptions(relay.data).get(anna.deviceId)).toBeUndefined();
		expect((await notify(relay, 'choices', {}, anna.credential)).body.push).toBeNull();
		relay.push.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
		relay.push.news(N, item('accepted', { for: bert.memberId, actor: anna.memberId }));
		const received = await eventually(() => service.received, (r) => r.length === 1, 5000);
		expect(received.map((r) => r.id)).toEqual([berts]);
	});

	it('refuses what is not a device of the neighbourhood, a bad subscription, and actions it does not have', async () => {
		const { relay, service, member } = await setting();
		const anna = member('Anna');
		const { id: _id, ...subscription } = service.subscribe();
		const choice = { kinds: ['response'], weekly: false, language: 'nl' };
		expect((await notify(relay, 'subscribe', { subscription, choice })).status).toBe(401);
		expect((await notify(relay, 'subscribe', { subscription, choice }, `${anna.credential}x`)).body).toEqual({ error: 'credential' });
		expect((await notify(relay, 'subscribe', { subscription: { ...subscription, endpoint: 'http://evil.example/push' }, choice }, anna.credential)).status).toBe(400);
		expect((await notify(relay, 'subscribe', { subscription, choice: { ...choice, kinds: ['gossip'] } }, anna.credential)).status).toBe(400);
		// The e-mail and report actions are answered too (report-mail-api.ts): an empty body is no request of theirs.
		for (const action of ['digest', 'report', 'handled']) expect((await notify(relay, action, {}, anna.credential)).status).toBe(400);
		for (const action of ['nothing']) {
			expect(await notify(relay, action, {}, anna.credential)).toMatchObject({ status: 404, body: { error: 'unknown' } });
		}
		expect((await notify(relay, 'key', {}, anna.credential, 'GET')).status).toBe(405);
		expect((await notify(relay, 'key', {}, undefined, 'OPTIONS')).status).toBe(204);
		expect(relay.push.subscriptions.size).toBe(0);
	});
});

it('a relay in service takes only https push services, never one on its own machine', async () => {
	const relay = await startTestRelay({ push: { text: testText } });
	relays.push(relay);
	const anna = newMember(relay.access, N, { name: 'Anna' });
	const service = await startPushService();
	services.push(service);
	const { id: _id, ...local } = service.subscribe();
	const choice = { kinds: ['response'], weekly: false, language: 'nl' };
	expect(await notify(relay, 'subscribe', { subscription: local, choice }, anna.credential)).toMatchObject({ status: 400, body: { error: 'invalid' } });
	const remote = { ...local, endpoint: 'https://updates.push.services.mozilla.com/wpush/v2/abc' };
	expect((await notify(relay, 'subscribe', { subscription: remote, choice }, anna.credential)).status).toBe(200);
	expect(relay.push.subscriptions.get(anna.deviceId)?.subscription.endpoint).toBe(remote.endpoint);
});

describe('a device taken away gets no more pushes, at once', () => {
	it('removed by a manager (device, or the whole member)', async () => {
		const { relay, service, member, switchOn } = await setting();
		const manager = member('Wijkverbinder', ['manager']);
		const anna = member('Anna');
		const bert = member('Bert');
		const carla = member('Carla');
		await switchOn(anna);
		await switchOn(bert);
		const carlas = await switchOn(carla);
		expect((await accessCall(relay.url, 'removeDevice', { deviceId: anna.deviceId }, manager.credential)).status).toBe(200);
		expect(relay.push.subscriptions.get(anna.deviceId)).toBeUndefined();
		expect((await accessCall(relay.url, 'removeMember', { memberId: bert.memberId }, manager.credential)).status).toBe(200);
		expect(relay.push.subscriptions.get(bert.deviceId)).toBeUndefined();
		expect(new Subscriptions(relay.data).size).toBe(1);
		relay.push.news(N, item('response', { for: anna.memberId, actor: carla.memberId }));
		relay.push.news(N, item('accepted', { for: bert.memberId, actor: carla.memberId }));
		relay.push.news(N, item('thanked', { for: carla.memberId, actor: anna.memberId }));
		const received = await eventually(() => service.received, (r) => r.length === 1, 5000);
		expect(received.map((r) => r.id)).toEqual([carlas]);
	});

	it("removed from the operator's shell: gone as soon as the relay reads the access book again", async () => {
		const { relay, member, switchOn } = await setting();
		const anna = member('Anna');
		await switchOn(anna);
		// Another process's view of the data folder, as `noaber access remove-device` has.
		expect(new AccessBook(relay.data).removeDevice(N, anna.deviceId)).toBeUndefined();
		await eventually(() => relay.push.subscriptions.get(anna.deviceId), (s) => s === undefined, 5000);
	});
});

it('keeps its keys and the subscriptions across a restart, and the pushes still arrive', async () => {
	const data = tempDir();
	const first = await setting(data);
	const anna = first.member('Anna');
	const bert = first.member('Bert');
	const annas = await first.switchOn(anna);
	const publicKey = first.relay.push.vapid.publicKey;
	await relays.splice(0)[0]!.close();
	const relay = await startTestRelay({ data, push: daytime() });
	relays.push(relay);
	expect((await notify(relay, 'key', {}, anna.credential)).body.publicKey).toBe(publicKey);
	relay.push.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
	const [push] = await eventually(() => first.service.received, (r) => r.length === 1, 5000);
	expect(push).toMatchObject({ id: annas, signedBy: publicKey });
});

describe('a relay without notifications', () => {
	it('with notifications off (NOABER_NOTIFICATIONS=off), a device hears the relay sends none, and switching off still works', async () => {
		const relay = await startTestRelay({ notifications: false });
		relays.push(relay);
		const anna = newMember(relay.access, N, { name: 'Anna' });
		expect((await notify(relay, 'key', {}, anna.credential)).status).toBe(404);
		expect((await notify(relay, 'subscribe', { subscription: { endpoint: 'https://push.example/x', keys: { p256dh: 'BAAA', auth: 'AAAA' } }, choice: { kinds: ['response'], weekly: false, language: 'nl' } }, anna.credential)).status).toBe(404);
		expect(await notify(relay, 'unsubscribe', {}, anna.credential)).toMatchObject({ status: 200 });
		expect((await notify(relay, 'choices', {}, anna.credential)).body).toMatchObject({ push: null });
	});
});

describe('someone waiting to be let in', () => {
	it("reaches the managers' phones, naming nobody, and opens Aanmeldingen", async () => {
		const relay = await startTestRelay({ push: daytime() });
		relays.push(relay);
		const service = await startPushService();
		services.push(service);
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const { id: managersPhone, ...subscription } = service.subscribe();
		const on = await notify(relay, 'subscribe', { subscription, choice: { kinds: [...NEWS_KINDS], weekly: false, language: 'nl' } }, hosted.key);
		expect(on.status).toBe(200);
		// Someone who joins an open neighbourhood is in at once: nobody to let in, nothing to tell.
		const open = (await accessCall(relay.url, 'makeTicket', {}, hosted.key)).body.ticket as string;
		expect((await accessCall(relay.url, 'join', { root: hosted.root, ticket: open, name: 'Dirk' })).body.status).toBe('active');
		expect((await accessCall(relay.url, 'settings', { approval: 'approval' }, hosted.key)).status).toBe(200);
		const ticket = (await accessCall(relay.url, 'makeTicket', {}, hosted.key)).body.ticket as string;
		const joined = await accessCall(relay.url, 'join', { root: hosted.root, ticket, name: 'Carla Smit' });
		expect(joined.body.status).toBe('waiting');
		const [push] = await eventually(() => service.received, (r) => r.length > 0, 5000);
		expect(push!.id).toBe(managersPhone);
		expect(push!.payload).toMatchObject({ path: '/leden/aanmeldingen' });
		expect(push!.text).not.toContain('Carla');
		expect(service.received).toHaveLength(1);
	});
});

