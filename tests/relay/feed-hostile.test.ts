// One member's poisoned event must not break the calendar feed that every subscriber's phone,
// Thunderbird or Outlook fetches: the feed stays one calendar, with every other event in it.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { AgendaDoc } from '../../src/lib/agenda/document.ts';
import { blankEvent, checkEvent, createEvent, type EventInput } from '../../src/lib/agenda/mutations.ts';
import { newAgendaDoc } from '../../src/lib/agenda/periods.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addAgendaDoc } from '../../src/lib/neighbourhood/mutations.ts';
import { client, eventually, find, hostNeighbourhood, newMember, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function valid(input: unknown): EventInput {
	const checked = checkEvent(input);
	if (!checked.ok) throw new Error(`invalid event: ${JSON.stringify(checked.errors)}`);
	return checked.value;
}

/** What a calendar app reads from the feed: every VEVENT's UID and title. */
function read(ics: string): { uid: string; summary: string }[] {
	return new ICAL.Component(ICAL.parse(ics))
		.getAllSubcomponents('vevent')
		.map((v) => ({ uid: String(v.getFirstPropertyValue('uid')), summary: String(v.getFirstPropertyValue('summary')) }));
}

describe('the agenda feed with a hostile event in it', () => {
	it('stays one readable calendar after a member stores an event whose UID holds "\\r\\nBEGIN:VEVENT"', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const manager = client(relay, hosted.key);
		const neighbour = newMember(relay.access, hosted.id, { name: 'Bert' });
		const member = client(relay, neighbour.credential);
		repos.push(manager, member);
		const root = await find<RootDoc>(manager, hosted.root);
		await eventually(() => root.isReady(), Boolean);
		const year = day(20).slice(0, 4);
		const agenda = manager.create<AgendaDoc>(newAgendaDoc(year));
		createEvent(agenda, valid({ ...blankEvent(day(20)), title: 'Koffieochtend' }), { memberId: hosted.memberId });
		addAgendaDoc(root, year, agenda.url);
		const feed = `${relay.url}/ical/${relay.registry.feedToken(hosted.id)}.ics`;
		await eventually(() => fetch(feed).then((r) => r.text()), (body) => body.includes('Koffieochtend'));

		// An ordinary member's own device writes the event with a UID no form would let through.
		const theirs = await find<AgendaDoc>(member, agenda.url);
		await eventually(() => theirs.isReady(), Boolean);
		const injected = 'x@noaber\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected\r\nSUMMARY:Gratis geld\r\nDTSTART:20260101T100000Z';
		createEvent(theirs, valid({ ...blankEvent(day(21)), title: 'Bingo' }), { memberId: neighbour.memberId }, new Date(), { uid: injected });
		// And an honest event after it, from the same device, that must still arrive.
		createEvent(theirs, valid({ ...blankEvent(day(22)), title: 'Buurtborrel; met soep, en \\ brood' }), { memberId: neighbour.memberId });
		await eventually(
			() => find<AgendaDoc>(relay!.repo, agenda.url).then((h) => Object.keys(h.doc()?.events ?? {}).length),
			(n) => n === 3
		);

		const response = await fetch(feed);
		expect(response.status).toBe(200);
		const body = await response.text();
		expect(body).not.toContain('Gratis geld');
		expect(body).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
		expect(read(body).map((e) => e.summary).sort()).toEqual(['Buurtborrel; met soep, en \\ brood', 'Koffieochtend']);
		expect(read(body).every((e) => e.uid.endsWith('@noaber') && !e.uid.includes('\n'))).toBe(true);
	});
});
