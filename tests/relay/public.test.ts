import { describe, expect, it } from 'vitest';
import { todayWall, windowOf } from '../../src/lib/agenda/window.ts';
import type { AgendaDoc } from '../../src/lib/agenda/document.ts';
import { blankEvent, checkEvent, createEvent, signUp, type EventInput } from '../../src/lib/agenda/mutations.ts';
import { newAgendaDoc } from '../../src/lib/agenda/periods.ts';
import { addDays, dayOf } from '../../src/lib/agenda/time.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addAgendaDoc, setPublicPage, updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { client, eventually, find, hostNeighbourhood, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);
const ANNA = { memberId: 'anna-0000-0001' };
const BERT = { memberId: 'bert-0000-0002' };

/** This week as the app and the relay see it (Monday to Sunday in Amsterdam), so the test does not age. */
const week = windowOf('week', todayWall());
const weekDay = (offset: number) => dayOf(addDays(week.from, offset));

function valid(input: Partial<EventInput>): EventInput {
	const checked = checkEvent({ ...blankEvent(weekDay(2)), ...input });
	if (!checked.ok) throw new Error(`invalid event: ${JSON.stringify(checked.errors)}`);
	return checked.value;
}

const publicPage = (root: string) => fetch(`${relay!.url}/api/public?d=${encodeURIComponent(root)}`);
const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> });

/** Lindenbuurt with a helpdesk and an agenda: some activities public, some not, some not this week. */
async function lindenbuurt() {
	const hosted = await hostNeighbourhood(relay!, 'Lindenbuurt');
	const member = client(relay!, hosted.key);
	repos.push(member);
	const root = await find<RootDoc>(member, hosted.root);
	await eventually(() => root.isReady(), Boolean);
	updateDetails(root, {
		name: 'Lindenbuurt',
		description: 'Buren in de Lindenbuurt helpen elkaar.',
		area: 'Lindenlaan',
		contactName: 'Fatima de Vries',
		contactPhone: '020 123 4567',
		contactHours: 'ma-vr 9.00-12.00'
	});
	const year = member.create<AgendaDoc>(newAgendaDoc(weekDay(2).slice(0, 4)));
	const market = createEvent(year, valid({ title: 'Buurtmarkt', public: true, location: 'Plein', organiser: 'Anna Jansen', contact: '06 1111 2222' }), ANNA);
	signUp(year, market, '', BERT);
	createEvent(year, valid({ title: 'Bestuursvergadering', location: 'Keuken' }), ANNA);
	addAgendaDoc(root, weekDay(2).slice(0, 4), year.url);
	// Next week lives in next year's document around new year; this one holds it either way.
	const later = member.create<AgendaDoc>(newAgendaDoc(weekDay(8).slice(0, 4)));
	createEvent(later, valid({ title: 'Volgende week', day: weekDay(8), public: true }), ANNA);
	addAgendaDoc(root, weekDay(8).slice(0, 4), later.url);
	const series = member.create<AgendaDoc>(newAgendaDoc('series'));
	const weekly: EventInput['repeat'] = { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 };
	createEvent(series, valid({ title: 'Koffieochtend', day: weekDay(-34), public: true, repeat: weekly, location: 'Buurthuis De Linde' }), ANNA);
	addAgendaDoc(root, 'series', series.url);
	return { hosted, member, root, documents: [year, later, series] };
}

describe('the public page', () => {
	it("answers this week's public activities and the helpdesk, and nothing personal", async () => {
		relay = await startTestRelay();
		const { hosted } = await lindenbuurt();

		const { status, body } = await eventually(
			() => publicPage(hosted.root).then(json),
			(r) => r.status === 200 && Array.isArray(r.body.activities) && r.body.activities.length === 2
		);
		expect(status).toBe(200);
		expect(body).toEqual({
			name: 'Lindenbuurt',
			description: 'Buren in de Lindenbuurt helpen elkaar.',
			contact: { phone: '020 123 4567', hours: 'ma-vr 9.00-12.00' },
			week: { from: week.from, to: week.to },
			activities: [
				{ title: 'Koffieochtend', start: `${weekDay(1)}T10:00`, end: `${weekDay(1)}T11:30`, allDay: false, place: 'Buurthuis De Linde' },
				{ title: 'Buurtmarkt', start: `${weekDay(2)}T10:00`, end: `${weekDay(2)}T11:30`, allDay: false, place: 'Plein' }
			]
		});
		const text = JSON.stringify(body);
		for (const personal of ['Fatima', 'Anna', '06 1111 2222', ANNA.memberId, BERT.memberId, 'Lindenlaan']) expect(text).not.toContain(personal);

		// The bare document id works too, and anyone (any origin) may read it for a minute.
		const bare = await fetch(`${relay.url}/api/public?d=${hosted.root.replace('automerge:', '')}`);
		expect(bare.status).toBe(200);
		expect(bare.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(bare.headers.get('cache-control')).toBe('public, max-age=60');
		expect(bare.headers.get('access-control-allow-origin')).toBe('*');
		expect(((await bare.json()) as { name: string }).name).toBe('Lindenbuurt');

		// What the neighbourhood wrote never reaches the log.
		const logs = relay.logs.join('');
		expect(logs).toContain('public page served');
		for (const content of ['Buurtmarkt', 'Koffieochtend', '020 123 4567']) expect(logs).not.toContain(content);
	});

	it('is not available when the neighbourhood switches it off, and again when switched on', async () => {
		relay = await startTestRelay();
		const { hosted, root } = await lindenbuurt();
		await eventually(() => publicPage(hosted.root).then((r) => r.status), (s) => s === 200);

		setPublicPage(root, false);
		const off = await eventually(() => publicPage(hosted.root).then(json), (r) => r.status === 404);
		expect(off.body).toEqual({ error: 'unavailable' });

		setPublicPage(root, true);
		await eventually(() => publicPage(hosted.root).then((r) => r.status), (s) => s === 200);
	});

	it('knows only the roots of neighbourhoods this relay hosts', async () => {
		relay = await startTestRelay();
		const { documents } = await lindenbuurt();
		const unknown = await publicPage('automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu');
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ error: 'unavailable' });
		// An agenda document of the neighbourhood is held by the relay, but it is not a root.
		await eventually(() => find<AgendaDoc>(relay!.repo, documents[0].url).then((h) => h.isReady()), Boolean);
		expect((await publicPage(documents[0].url)).status).toBe(404);
	});

	it('refuses a malformed question', async () => {
		relay = await startTestRelay();
		const { hosted } = await lindenbuurt();
		const root = encodeURIComponent(hosted.root);
		for (const query of ['', '?d=', '?d=automerge:nope', `?d=${root}&d=${root}`, `?d=${root}&k=secret`, `?d=${root}%20`]) {
			const response = await fetch(`${relay.url}/api/public${query}`);
			expect(response.status, query).toBe(400);
			expect(((await response.json()) as { error: string }).error).toBe('query');
		}
		const post = await fetch(`${relay.url}/api/public?d=${root}`, { method: 'POST' });
		expect(post.status).toBe(405);
		expect(post.headers.get('allow')).toBe('GET, HEAD');
	});
});
