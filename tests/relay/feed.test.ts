import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { AgendaDoc } from '../../src/lib/agenda/document.ts';
import { blankEvent, checkEvent, createEvent, editEvent, eventInput, type EventInput } from '../../src/lib/agenda/mutations.ts';
import { newAgendaDoc } from '../../src/lib/agenda/periods.ts';
import { readEvents } from '../../src/lib/agenda/view.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addAgendaDoc } from '../../src/lib/neighbourhood/mutations.ts';
import { Writable } from 'node:stream';
import { main } from '../../relay/cli.ts';
import { createLogger } from '../../relay/log.ts';
import { Registry } from '../../relay/registry.ts';
import { client, eventually, find, hostNeighbourhood, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);
const ANNA = { memberId: 'anna-0000-0001' };

async function feedAddress(key: string): Promise<Response> {
	return fetch(`${relay!.url}/api/feed`, { headers: { authorization: `Bearer ${key}` } });
}

/** A day relative to today, so the test does not age. */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const WEEKLY = { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 } as const;

function valid(input: unknown): EventInput {
	const checked = checkEvent(input);
	if (!checked.ok) throw new Error(`invalid event: ${JSON.stringify(checked.errors)}`);
	return checked.value;
}

const summaries = (ics: string) =>
	new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => String(v.getFirstPropertyValue('summary')));

describe('the agenda feed', () => {
	it('serves the agenda as iCalendar at a secret address, follows edits, and can be revoked', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const member = client(relay, hosted.key);
		repos.push(member);
		const root = await find<RootDoc>(member, hosted.root);
		await eventually(() => root.isReady(), Boolean);
		// A member starts this year's agenda document and adds an event, as the app does.
		const agenda = member.create<AgendaDoc>(newAgendaDoc(day(30).slice(0, 4)));
		const id = createEvent(agenda, valid({ ...blankEvent(day(30)), title: 'Kerstbingo' }), ANNA);
		addAgendaDoc(root, day(30).slice(0, 4), agenda.url);
		// Long past: a one-off that ended over a year ago is left out, a weekly series that began
		// then still runs and stays in.
		const old = member.create<AgendaDoc>(newAgendaDoc(day(-400).slice(0, 4)));
		createEvent(old, valid({ ...blankEvent(day(-400)), title: 'Nieuwjaarsborrel' }), ANNA);
		addAgendaDoc(root, day(-400).slice(0, 4), old.url);
		const series = member.create<AgendaDoc>(newAgendaDoc('series'));
		createEvent(series, valid({ ...blankEvent(day(-400)), title: 'Koffieochtend', repeat: WEEKLY }), ANNA);
		addAgendaDoc(root, 'series', series.url);

		expect((await feedAddress('wrong-key-wrong-key')).status).toBe(401);
		const address = await feedAddress(hosted.key);
		expect(address.status).toBe(200);
		const { ical } = (await address.json()) as { ical: string };
		expect(ical).toMatch(new RegExp(`^${relay.url}/ical/[A-Za-z0-9_-]{32}\\.ics$`));

		const first = await eventually(
			() => fetch(ical).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() })),
			(r) => r.body.includes('Kerstbingo') && r.body.includes('Koffieochtend')
		);
		// Left out, not merely late: the relay holds that document too.
		await eventually(() => find<AgendaDoc>(relay!.repo, old.url).then((h) => h.isReady() && Object.keys(h.doc().events).length), Boolean);
		expect(summaries(await fetch(ical).then((r) => r.text())).sort()).toEqual(['Kerstbingo', 'Koffieochtend']);
		expect(first.status).toBe(200);
		expect(first.type).toBe('text/calendar; charset=utf-8');
		expect(first.body).toContain('BEGIN:VCALENDAR');
		expect(first.body).toContain('SUMMARY:Kerstbingo');
		const head = await fetch(ical, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(head.headers.get('cache-control')).toBe('no-cache');
		expect(head.headers.get('content-disposition')).toBe(`inline; filename="Lindenbuurt.ics"; filename*=UTF-8''Lindenbuurt.ics`);
		expect(await head.text()).toBe('');

		const event = readEvents([{ url: agenda.url, doc: agenda.doc() }]).items[0];
		editEvent(agenda, id, { ...eventInput(event), title: 'Kerstbingo met oliebollen' }, ANNA);
		await eventually(
			() => fetch(ical).then((r) => r.text()),
			(body) => summaries(body).includes('Kerstbingo met oliebollen') && !summaries(body).includes('Kerstbingo')
		);

		const wrong = await fetch(`${relay.url}/ical/${'x'.repeat(32)}.ics`);
		expect(wrong.status).toBe(404);
		expect(wrong.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(await wrong.text()).toMatch(/bestaat niet.*does not exist/);

		// The operator replaces the address: the old one stops working at once.
		const fresh = relay.registry.rotateFeed(hosted.id);
		expect((await fetch(ical)).status).toBe(404);
		const renewed = await fetch(`${relay.url}/ical/${fresh}.ics`);
		expect(renewed.status).toBe(200);
		expect(await renewed.text()).toContain('Kerstbingo met oliebollen');

		const secret = ical.split('/ical/')[1].replace('.ics', '');
		expect(relay.logs.join('')).not.toContain(secret);
		expect(relay.logs.join('')).not.toContain(fresh);
	});

	it("does not publish another neighbourhood's agenda that a member lists in the root", async () => {
		relay = await startTestRelay();
		const linden = await hostNeighbourhood(relay, 'Lindenbuurt');
		const eiken = await hostNeighbourhood(relay, 'Eikenbuurt');
		const anna = client(relay, linden.key);
		const bert = client(relay, eiken.key);
		repos.push(anna, bert);
		const lindenRoot = await find<RootDoc>(anna, linden.root);
		const eikenRoot = await find<RootDoc>(bert, eiken.root);
		const lindenAgenda = anna.create<AgendaDoc>(newAgendaDoc('series'));
		createEvent(lindenAgenda, valid({ ...blankEvent(day(10)), title: 'Buurtborrel Linden' }), ANNA);
		addAgendaDoc(lindenRoot, 'series', lindenAgenda.url);
		const lindenFeed = `${relay.url}/ical/${relay.registry.feedToken(linden.id)}.ics`;
		await eventually(() => fetch(lindenFeed).then((r) => r.text()), (body) => body.includes('Buurtborrel Linden'));

		// Bert learned the URL somehow and lists it next to his own neighbourhood's agenda.
		const eikenAgenda = bert.create<AgendaDoc>(newAgendaDoc('series'));
		createEvent(eikenAgenda, valid({ ...blankEvent(day(10)), title: 'Buurtborrel Eiken' }), { memberId: 'bert-0000-0001' });
		addAgendaDoc(eikenRoot, 'series', lindenAgenda.url);
		addAgendaDoc(eikenRoot, day(10).slice(0, 4), eikenAgenda.url);
		const eikenFeed = `${relay.url}/ical/${relay.registry.feedToken(eiken.id)}.ics`;
		const body = await eventually(() => fetch(eikenFeed).then((r) => r.text()), (text) => text.includes('Buurtborrel Eiken'));
		expect(summaries(body)).toEqual(['Buurtborrel Eiken']);
	});

	it('tells a member the address from a page on another origin, and nobody without the key', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const preflight = await fetch(`${relay.url}/api/feed`, {
			method: 'OPTIONS',
			headers: { origin: 'https://app.example.nl', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
		expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
		const answer = await fetch(`${relay.url}/api/feed`, { headers: { origin: 'https://app.example.nl', authorization: `Bearer ${hosted.key}` } });
		expect(answer.headers.get('access-control-allow-origin')).toBe('*');
		expect(await answer.json()).toEqual({ ical: `${relay.url}/ical/${relay.registry.feedToken(hosted.id)}.ics` });
		expect((await fetch(`${relay.url}/api/feed`)).status).toBe(401);
		expect((await fetch(`${relay.url}/api/feed`, { headers: { authorization: hosted.key } })).status).toBe(401);
	});

	it('does not undo what the operator command just wrote, when the relay has not read it yet', () => {
		const data = tempDir();
		const running = new Registry(data);
		const record = running.add({ id: 'lindenbuurt-01', name: 'Lindenbuurt', root: 'automerge:abc', documents: [] });
		// The operator's command, in another process, hands out a feed address, then replaces it.
		const shell = new Registry(data);
		shell.feedToken(record.id);
		const handedOut = shell.rotateFeed(record.id);

		expect(running.feedToken(record.id)).toBe(handedOut);
		expect(new Registry(data).find(record.id)?.feedToken).toBe(handedOut);
		expect(running.neighbourhoodForFeed(handedOut)?.id).toBe(record.id);
	});

	it('keeps feed addresses, keys and bearer headers out of the log', () => {
		const lines: string[] = [];
		const log = createLogger('debug', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
		const secret = 'Zm9vYmFyLXNlY3JldC1mZWVkLXRva2VuLTEyMzQ1';
		log.info({ req: { method: 'GET', url: `/ical/${secret}.ics`, headers: { authorization: 'Bearer member-key-123456' } } }, 'request');
		log.info({ url: `https://buurt.example.nl/ical/${secret}.ics` }, 'feed');
		log.info({ ical: `https://buurt.example.nl/ical/${secret}.ics` }, 'feed address');
		const output = lines.join('');
		expect(output).toContain('"method":"GET"');
		expect(output).not.toContain(secret);
		expect(output).not.toContain('member-key-123456');
	});

	it('is printed and replaced by the operator command', async () => {
		const data = tempDir();
		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(`error: ${line}`) };
		const env = { NOABER_DATA: data, NOABER_PUBLIC_URL: 'https://buurt.example.nl' };
		expect(await main(['create', 'Lindenbuurt', '--json'], out, env)).toBe(0);
		const created = JSON.parse(lines.pop()!) as { ical: string; id: string };
		expect(created.ical).toMatch(/^https:\/\/buurt\.example\.nl\/ical\/[A-Za-z0-9_-]{32}\.ics$/);
		expect(await main(['feed', 'Lindenbuurt', '--json'], out, env)).toBe(0);
		expect(JSON.parse(lines.pop()!)).toEqual({ id: created.id, name: 'Lindenbuurt', ical: created.ical });
		expect(await main(['feed', 'Lindenbuurt', '--rotate'], out, env)).toBe(0);
		const rotated = lines.pop()!;
		expect(lines.pop()).toBe('The old calendar address no longer works. Subscribers need this new one:');
		expect(rotated).not.toBe(created.ical);
		expect(await main(['feed', 'Nergenshuizen'], out, env)).toBe(1);
	});
});
