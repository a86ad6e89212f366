// Phone notifications from the relay to a stand-in push service that decrypts every push as a
// phone would: what it says, to whom, when (quiet hours, one notification per post), and that
// gone subscriptions and removed devices get nothing.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { AccessBook } from '../../relay/access-book.ts';
import { createLogger } from '../../relay/log.ts';
import { Courier, type Delivery } from '../../relay/push/courier.ts';
import { liveInBook, recipientsInBook } from '../../relay/push/push.ts';
import { quietUntil } from '../../relay/push/quiet-hours.ts';
import { PushSchedule } from '../../relay/push/schedule.ts';
import { Subscriptions } from '../../relay/push/subscriptions.ts';
import { loadVapid, vapidSubject } from '../../relay/push/vapid.ts';
import { NEWS_KINDS, type NewsKind } from '../../src/lib/news/item.ts';
import type { Granted } from '../../src/lib/access/api.ts';
import { eventually, tempDir } from './harness.ts';
import { newMember } from './members.ts';
import { startPushService, type StandIn } from './push-service.ts';
import { fakeClock, item, NAMES, testText } from './push-world.ts';

const N = 'lindenbuurt';
const MINUTE = 60_000;
/** 1 December 2026, winter time in Amsterdam (UTC+1). */
const amsterdam = (hour: number, minute = 0) => Date.UTC(2026, 11, 1, hour - 1, minute);
const PHONE = /0\d[\d -]{8,}/;

const services: StandIn[] = [];
const stoppers: Array<() => void> = [];
afterEach(async () => {
	for (const stop of stoppers.splice(0)) stop();
	await Promise.all(services.splice(0).map((s) => s.close()));
});

async function world(start = amsterdam(10)) {
	const data = tempDir();
	const logs: string[] = [];
	const log = createLogger('debug', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) }));
	const book = new AccessBook(data);
	const service = await startPushService();
	services.push(service);
	const clock = fakeClock(start);
	const vapid = loadVapid(data, 'mailto:beheer@lindenbuurt.nl', log);
	const subscriptions = new Subscriptions(data, log);
	const courier = new Courier({ vapid, subscriptions, log, backoffMs: 20 });
	/** What the schedule handed to the courier, and when on the fake clock: "not before" is exact. */
	const handed: Array<{ device: string; at: number; delivery: Delivery }> = [];
	const schedule = new PushSchedule({
		subscriptions,
		courier: { deliver: (to, delivery) => (handed.push({ device: to.device, at: clock.now(), delivery }), courier.deliver(to, delivery)) },
		recipientsOf: recipientsInBook(book),
		text: testText,
		clock,
		log
	});
	stoppers.push(() => schedule.stop(), () => courier.stop());
	const member = (name: string, roles: Array<'intermediary' | 'manager'> = []) => {
		const granted = newMember(book, N, { name, roles });
		NAMES[granted.memberId] = name;
		return granted;
	};
	const subscribe = (who: Granted, kinds: readonly NewsKind[] = NEWS_KINDS, language: 'nl' | 'en' = 'nl') => {
		const { id, ...subscription } = service.subscribe();
		subscriptions.set({ neighbourhood: N, member: who.memberId, device: who.deviceId, subscription, choice: { kinds: [...kinds], weekly: false, language } });
		return id;
	};
	return { data, logs, book, service, clock, vapid, subscriptions, schedule, handed, member, subscribe };
}

describe('a push as the phone receives it', () => {
	it('is encrypted to the device, signed by the relay, short and kind, and opens the post', async () => {
		const w = await world();
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		const annas = w.subscribe(anna);
		w.subscribe(bert);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId, post: 'postAnna1' }));
		const [push] = await eventually(() => w.service.received, (r) => r.length === 1);
		expect(w.service.broken).toEqual([]);
		expect(push!.id).toBe(annas);
		expect(push!.signedBy).toBe(w.vapid.publicKey);
		expect(push!.payload).toEqual({ title: 'Noaber', body: 'Bert wil helpen met boodschappen', path: '/hulp/postAnna1', tag: 'help:postAnna1', count: 1 });
		expect(push!.urgency).toBe('normal');
		expect(push!.ttl).toBeGreaterThan(0);
		expect(push!.text).not.toMatch(PHONE);
		// Bert did it himself: his phone stays quiet, and the log names devices, not what was said.
		expect(w.handed.map((h) => h.device)).toEqual([anna.deviceId]);
		// Logged once the push service has answered.
		const log = await eventually(() => w.logs.join(''), (text) => text.includes(anna.deviceId));
		for (const secret of ['boodschappen', 'Bert wil', push!.id, w.vapid.privateKey]) expect(log).not.toContain(secret);
	});

	it('speaks the language the device chose', async () => {
		const w = await world();
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		w.subscribe(anna, NEWS_KINDS, 'en');
		w.schedule.news(N, item('accepted', { for: anna.memberId, actor: bert.memberId }));
		const [push] = await eventually(() => w.service.received, (r) => r.length === 1);
		expect(push!.payload.body).toBe('Bert accepted your help');
	});

	it('comes only for the kinds the device chose, and once for the same happening', async () => {
		const w = await world();
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		w.subscribe(anna, ['accepted']);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
		expect(w.handed).toHaveLength(0);
		const accepted = item('accepted', { for: anna.memberId, actor: bert.memberId, post: 'other001' });
		w.schedule.news(N, accepted);
		w.schedule.news(N, accepted);
		await eventually(() => w.service.received, (r) => r.length === 1);
		expect(w.handed).toHaveLength(1);
	});

	it("goes to the intermediary's phone for a resident without a device", async () => {
		const w = await world();
		const ina = w.member('Ina', ['intermediary']);
		const bert = w.member('Bert');
		const henk = 'henk00000001';
		expect(w.book.addManaged(N, ina.memberId, henk, 'Henk')).toBeUndefined();
		const inas = w.subscribe(ina);
		w.schedule.news(N, item('response', { for: henk, actor: bert.memberId, post: 'postHenk' }));
		const [push] = await eventually(() => w.service.received, (r) => r.length === 1);
		expect(push!.id).toBe(inas);
		expect(push!.payload.path).toBe('/hulp/postHenk');
	});
});

describe('when it comes', () => {
	it('keeps what happens at 22.30 until 08.00, and not a second before', async () => {
		const w = await world(amsterdam(22, 30));
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		w.subscribe(anna);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
		w.clock.advance(9.5 * 60 * MINUTE - 1000);
		expect(w.handed).toHaveLength(0);
		expect(w.schedule.waiting).toBe(1);
		w.clock.advance(1000);
		expect(w.handed).toHaveLength(1);
		expect(new Date(w.handed[0]!.at).toISOString()).toBe('2026-12-02T07:00:00.000Z');
		const [push] = await eventually(() => w.service.received, (r) => r.length === 1);
		expect(push!.payload.body).toBe('Bert wil helpen met boodschappen');
	});

	it('knows Amsterdam summer time, and the morning before 08.00 is quiet too', () => {
		expect(new Date(quietUntil(Date.UTC(2026, 6, 1, 20))!).toISOString()).toBe('2026-07-02T06:00:00.000Z');
		expect(new Date(quietUntil(Date.UTC(2026, 6, 1, 5, 30))!).toISOString()).toBe('2026-07-01T06:00:00.000Z');
		expect(quietUntil(Date.UTC(2026, 6, 1, 10))).toBeUndefined();
		expect(quietUntil(Date.UTC(2026, 6, 1, 18, 59))).toBeUndefined();
		expect(quietUntil(Date.UTC(2026, 11, 1, 20))).toBeDefined();
	});

	it('tells three responses in five minutes at once, then as one notification that replaces it', async () => {
		const w = await world(amsterdam(10));
		const anna = w.member('Anna');
		const helpers = ['Bert', 'Carla', 'Dirk'].map((name) => w.member(name));
		w.subscribe(anna);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: helpers[0]!.memberId }));
		expect(w.handed).toHaveLength(1);
		w.clock.advance(2 * MINUTE);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: helpers[1]!.memberId }));
		w.clock.advance(3 * MINUTE);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: helpers[2]!.memberId }));
		w.clock.advance(5 * MINUTE - 1);
		expect(w.handed).toHaveLength(1);
		w.clock.advance(1);
		expect(w.handed).toHaveLength(2);
		const received = await eventually(() => w.service.received, (r) => r.length === 2);
		const last = received.find((r) => r.payload.count === 3)!;
		expect(last.payload).toMatchObject({ body: '3 nieuwe reacties op uw hulpvraag', tag: 'help:post0001', path: '/hulp/post0001' });
		expect(new Set(received.map((r) => r.payload.tag)).size).toBe(1);
		expect(new Set(received.map((r) => r.topic)).size).toBe(1);
		// Ten quiet minutes later the group is forgotten: a new response is told at once again.
		w.clock.advance(10 * MINUTE);
		expect(w.clock.pending()).toBe(0);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: helpers[0]!.memberId }));
		expect(w.handed).toHaveLength(3);
		expect(w.handed[2]!.delivery.payload.count).toBe(1);
	});

	it('brings three responses of one night as one notification in the morning, other posts apart', async () => {
		const w = await world(amsterdam(23));
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		w.subscribe(anna);
		// 23.00, 00.00 and 04.00.
		for (const wait of [0, 60, 240]) {
			w.clock.advance(wait * MINUTE);
			w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
		}
		w.schedule.news(N, item('thanked', { for: anna.memberId, actor: bert.memberId, post: 'postB001' }));
		w.clock.advance(12 * 60 * MINUTE);
		expect(w.handed.map((h) => [h.delivery.payload.tag, h.delivery.payload.count])).toEqual([
			['help:post0001', 3],
			['help:postB001', 1]
		]);
		await eventually(() => w.service.received, (r) => r.length === 2);
	});
});

describe('devices that should get nothing', () => {
	it('a removed device or member gets nothing, from the moment it is removed', async () => {
		const w = await world();
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		const carla = w.member('Carla');
		w.subscribe(anna);
		w.subscribe(bert);
		const carlas = w.subscribe(carla);
		expect(w.book.removeDevice(N, anna.deviceId)).toBeUndefined();
		expect(w.book.removeMember(N, bert.memberId)).toBeUndefined();
		expect(w.subscriptions.keepOnly(liveInBook(w.book))).toBe(2);
		expect(new Subscriptions(w.data).get(anna.deviceId)).toBeUndefined();
		w.schedule.news(N, item('response', { for: anna.memberId, actor: carla.memberId }));
		w.schedule.news(N, item('accepted', { for: bert.memberId, actor: carla.memberId }));
		w.schedule.news(N, item('thanked', { for: carla.memberId, actor: anna.memberId }));
		const received = await eventually(() => w.service.received, (r) => r.length === 1);
		expect(received.map((r) => r.id)).toEqual([carlas]);
		expect(w.handed).toHaveLength(1);
	});

	it.each([404, 410])('a push service answering %i loses the subscription, also on disk', async (status) => {
		const w = await world();
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		const annas = w.subscribe(anna);
		w.service.answer(annas, status);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
		await eventually(() => w.subscriptions.get(anna.deviceId), (s) => s === undefined);
		expect(new Subscriptions(w.data).get(anna.deviceId)).toBeUndefined();
		w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId, post: 'other001' }));
		expect(w.handed).toHaveLength(1);
		expect(w.service.requests).toBe(1);
	});

	it('a busy push service (503, 429) is asked again until it takes the push', async () => {
		const w = await world();
		const anna = w.member('Anna');
		const bert = w.member('Bert');
		const annas = w.subscribe(anna);
		w.service.answer(annas, 503, 429);
		w.schedule.news(N, item('response', { for: anna.memberId, actor: bert.memberId }));
		await eventually(() => w.service.received, (r) => r.length === 1);
		expect(w.service.requests).toBe(3);
		expect(w.subscriptions.get(anna.deviceId)).toBeDefined();
	});

	it('an endpoint nobody answers at fails quietly, after its retries', async () => {
		const w = await world();
		const anna = w.member('Anna');
		const { id: _unused, ...made } = w.service.subscribe();
		const subscription = { ...made, endpoint: 'http://127.0.0.1:1/push/nobody' };
		w.subscriptions.set({ neighbourhood: N, member: anna.memberId, device: anna.deviceId, subscription, choice: { kinds: ['response'], weekly: false, language: 'nl' } });
		const courier = new Courier({ vapid: w.vapid, subscriptions: w.subscriptions, log: createLogger('silent'), backoffMs: 5, retries: 2 });
		const outcome = await courier.deliver(w.subscriptions.get(anna.deviceId)!, { payload: { title: 't', body: 'b', path: '/', tag: 'x' }, ttl: 60, urgency: 'normal' });
		expect(outcome).toBe('failed');
		expect(w.subscriptions.get(anna.deviceId)).toBeDefined();
	});
});

describe('the relay keeps its keys and subscriptions', () => {
	it('makes its VAPID keys once, keeps them for itself only, and reads them back after a restart', () => {
		const data = tempDir();
		const first = loadVapid(data, 'mailto:a@b.nl');
		const again = loadVapid(data, 'mailto:a@b.nl');
		expect(again).toEqual(first);
		expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
		const file = join(data, 'push', 'vapid.json');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8')).toContain(first.privateKey);
	});

	it('names whom push services may contact', () => {
		expect(vapidSubject('beheer@lindenbuurt.nl', undefined)).toBe('mailto:beheer@lindenbuurt.nl');
		expect(vapidSubject(undefined, 'https://buurt.example.nl')).toBe('https://buurt.example.nl');
		expect(vapidSubject(undefined, 'http://localhost:3000')).toBe('mailto:noaber@localhost');
		expect(() => vapidSubject('not a contact', undefined)).toThrow(/NOABER_PUSH_CONTACT/);
	});

	it('keeps subscriptions and choices across a restart, in a file only the relay may read', async () => {
		const w = await world();
		const anna = w.member('Anna');
		w.subscribe(anna, ['response', 'moved-up'], 'en');
		const reread = new Subscriptions(w.data).get(anna.deviceId);
		expect(reread).toEqual(w.subscriptions.get(anna.deviceId));
		expect(reread!.choice).toEqual({ kinds: ['response', 'moved-up'], weekly: false, language: 'en' });
		expect(statSync(join(w.data, 'push', 'devices', `${N}.json`)).mode & 0o777).toBe(0o600);
	});
});
