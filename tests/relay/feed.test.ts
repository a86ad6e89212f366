import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { AgendaDoc } from '../../src/lib/agenda/document.ts';
import { blankEvent, checkEvent, createEvent, editEvent, eventInput } from '../../src/lib/agenda/mutations.ts';
import { newAgendaDoc } from '../../src/lib/agenda/periods.ts';
import { readEvents } from '../../src/lib/agenda/view.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addAgendaDoc } from '../../src/lib/neighbourhood/mutations.ts';
import { main } from '../../relay/cli.ts';
import { client, eventually, find, hostNeighbourhood, startTestRelay, stopAfterEach, tempDir, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);
const ANNA = { memberId: 'anna-0000-0001' };

async function feedAddress(key: string): Promise<Response> {
	return fetch(`${relay!.url}/api/feed`, { headers: { authorization: `Bearer ${key}` } });
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
		const agenda = member.create<AgendaDoc>(newAgendaDoc('2026'));
		const input = checkEvent({ ...blankEvent('2026-12-08'), title: 'Kerstbingo' });
		if (!input.ok) throw new Error('invalid');
		const id = createEvent(agenda, input.value, ANNA);
		addAgendaDoc(root, '2026', agenda.url);

		expect((await feedAddress('wrong-key-wrong-key')).status).toBe(401);
		const address = await feedAddress(hosted.key);
		expect(address.status).toBe(200);
		const { ical } = (await address.json()) as { ical: string };
		expect(ical).toMatch(new RegExp(`^${relay.url}/ical/[A-Za-z0-9_-]{32}\\.ics$`));

		const first = await eventually(
			() => fetch(ical).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text() })),
			(r) => r.body.includes('Kerstbingo')
		);
		expect(first.status).toBe(200);
		expect(first.type).toBe('text/calendar; charset=utf-8');
		expect(summaries(first.body)).toEqual(['Kerstbingo']);

		const event = readEvents([{ url: agenda.url, doc: agenda.doc() }]).items[0];
		editEvent(agenda, id, { ...eventInput(event), title: 'Kerstbingo met oliebollen' }, ANNA);
		await eventually(
			() => fetch(ical).then((r) => r.text()),
			(body) => summaries(body)[0] === 'Kerstbingo met oliebollen'
		);

		const wrong = await fetch(`${relay.url}/ical/${'x'.repeat(32)}.ics`);
		expect(wrong.status).toBe(404);

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
