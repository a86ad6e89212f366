import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import { happenings } from './calendar.ts';
import { todayWall, windowOf } from './window.ts';
import type { AgendaDoc } from './document.ts';
import { agendaDocuments } from './documents.ts';
import { blankEvent, changeOccurrence, checkEvent, createEvent, skipOccurrence, type EventInput } from './mutations.ts';
import { addDays, dayOf } from './time.ts';
import { EVENTS_PER_PIECE, piecesOf, type EventsRead } from './view.ts';

const ANNA = { memberId: 'anna-0000-0001' };
const NOW = new Date();
const week = windowOf('week', todayWall(NOW));

function form(changes: Partial<EventInput>): EventInput {
	const result = checkEvent({ ...blankEvent(dayOf(addDays(week.from, -21))), title: 'Koffieochtend', ...changes });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

const repeating = (weekdays: ('MO' | 'WE' | 'FR')[]) =>
	form({ repeat: { repeat: 'weekly', interval: 1, weekdays, ends: 'never', until: '', count: 0 } });

/** A series document and a year, as the documents worker reads them and hands them to a page. */
function fromWorker() {
	const series = new LocalDoc<AgendaDoc>({ period: imm('series'), events: {} });
	const coffee = createEvent(series, repeating(['MO', 'WE', 'FR']), ANNA);
	const walk = createEvent(series, { ...repeating(['WE']), title: 'Wandelgroep' }, ANNA);
	const wednesday = `${dayOf(addDays(week.from, 2))}T10:00`;
	skipOccurrence(series, coffee, wednesday, 'Buurthuis dicht', ANNA);
	changeOccurrence(series, walk, wednesday, { location: 'Park' }, ANNA);
	const year = new LocalDoc<AgendaDoc>({ period: imm(week.from.slice(0, 4)), events: {} });
	createEvent(year, form({ day: dayOf(addDays(week.from, 3)), title: 'Bingo' }), ANNA);
	const read = (url: string, doc: AgendaDoc) => agendaDocuments.read([{ url, doc }]);
	// Posted from the worker to the page: a copy, as `postMessage` makes it.
	return [structuredClone(read('automerge:series', series.doc)), structuredClone(read('automerge:year', year.doc))];
}

const titles = (read: EventsRead) =>
	happenings(read.items, week.from, week.to).map((h) => `${h.occurrence.start} ${h.event.title}${h.off ? ' (gaat niet door)' : ''}`);

describe('the agenda read away from the page', () => {
	it('brings this week of its series along, so the page shows the week as worked out there', () => {
		const parts = fromWorker();
		expect(parts[0]!.seriesWeek).toMatchObject({ from: week.from, to: week.to });
		// A year of one-off events has no series to expand.
		expect(parts[1]!.seriesWeek).toBeUndefined();
		const onPage = agendaDocuments.combine!(parts);
		const wednesday = dayOf(addDays(week.from, 2));
		expect(titles(onPage)).toEqual([
			`${week.from.slice(0, 10)}T10:00 Koffieochtend`,
			`${wednesday}T10:00 Koffieochtend (gaat niet door)`,
			`${wednesday}T10:00 Wandelgroep`,
			`${dayOf(addDays(week.from, 3))}T10:00 Bingo`,
			`${dayOf(addDays(week.from, 4))}T10:00 Koffieochtend`
		]);
		const walk = happenings(onPage.items, week.from, week.to).find((h) => h.event.title === 'Wandelgroep')!;
		expect(walk.occurrence.override?.location).toBe('Park');
	});

	it('is what the page would work out itself, and is taken as it came', () => {
		const [series, year] = fromWorker();
		const { seriesWeek: _, ...plain } = structuredClone(series!);
		const own = titles(agendaDocuments.combine!([plain, structuredClone(year!)]));
		// Marked on the way: the page must not expand the series again in the tap that opens the agenda.
		for (const occurrences of Object.values(series!.seriesWeek!.occurrences)) for (const o of occurrences) o.end = o.start;
		const taken = agendaDocuments.combine!([series!, year!]);
		expect(titles(taken)).toEqual(own);
		expect(happenings(taken.items, week.from, week.to).filter((h) => h.event.rrule).every((h) => h.occurrence.end === h.occurrence.start)).toBe(true);
	});

	it('sends a large document in pieces that make the same agenda again, each with the week of its own series', () => {
		const [series, year] = fromWorker();
		const bingo = year!.items[0]!;
		// More events than fit in one piece, in order, with something skipped while reading them.
		const many: EventsRead = {
			items: Array.from({ length: EVENTS_PER_PIECE * 2 + 7 }, (_, i) => ({ ...bingo, id: `bingo-${String(i).padStart(4, '0')}` })),
			skipped: 2,
			skippedParts: 1
		};
		const pieces = agendaDocuments.pieces!(many).map((piece) => structuredClone(piece));
		expect(pieces.map((p) => p.items.length)).toEqual([EVENTS_PER_PIECE, EVENTS_PER_PIECE, 7]);
		const whole = agendaDocuments.combine!(pieces);
		expect(whole.items.map((e) => e.id)).toEqual(many.items.map((e) => e.id));
		expect([whole.skipped, whole.skippedParts]).toEqual([2, 1]);
		// A small document goes as it is.
		expect(agendaDocuments.pieces!(year!)).toEqual([year]);

		// Series one per piece: each piece brings the week of its own series, and no other's.
		const perSeries = piecesOf(series!, 1).map((piece) => structuredClone(piece));
		expect(perSeries.map((p) => Object.keys(p.seriesWeek!.occurrences))).toEqual(series!.items.map((e) => [e.id]));
		// Marked on the way, as above: the page takes each piece's week as it came.
		for (const piece of perSeries) for (const occurrences of Object.values(piece.seriesWeek!.occurrences)) for (const o of occurrences) o.end = o.start;
		const taken = agendaDocuments.combine!([agendaDocuments.combine!(perSeries), structuredClone(year!)]);
		expect(titles(taken)).toEqual(titles(agendaDocuments.combine!([structuredClone(series!), structuredClone(year!)])));
		expect(happenings(taken.items, week.from, week.to).filter((h) => h.event.rrule).every((h) => h.occurrence.end === h.occurrence.start)).toBe(true);
	});

	it('sends first only what its pages show first, which shows this week as the whole year does', () => {
		const [series] = fromWorker();
		const year = new LocalDoc<AgendaDoc>({ period: imm(week.from.slice(0, 4)), events: {} });
		createEvent(year, form({ day: dayOf(addDays(week.from, 3)), title: 'Bingo' }), ANNA);
		createEvent(year, form({ day: dayOf(addDays(week.from, -45)), title: 'Voorjaarsmarkt' }), ANNA);
		const whole = [series!, agendaDocuments.read([{ url: 'automerge:year', doc: year.doc }])];
		const first = agendaDocuments.firstShown!(NOW);
		const parts = whole.map((read) => structuredClone(agendaDocuments.within!(read, first)));
		expect(parts[1]!.items.map((e) => e.title)).toEqual(['Bingo']);
		expect(parts[0]!.items).toHaveLength(2);
		expect(titles(agendaDocuments.combine!(parts))).toEqual(titles(agendaDocuments.combine!(whole.map((read) => structuredClone(read)))));
	});

	it('other weeks are worked out on the page', () => {
		const [series, year] = fromWorker();
		const onPage = agendaDocuments.combine!([series!, year!]);
		const next = { from: addDays(week.from, 7), to: addDays(week.to, 7) };
		expect(happenings(onPage.items, next.from, next.to).filter((h) => h.event.title === 'Koffieochtend')).toHaveLength(3);
	});
});
