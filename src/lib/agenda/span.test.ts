// The days an agenda document covers decide when an older year comes to the page: a day too few
// and a page showing that day would miss an activity.
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import type { AgendaDoc } from './document.ts';
import { blankEvent, changeOccurrence, checkEvent, createEvent, type EventInput } from './mutations.ts';
import { contains } from '../automerge/span.ts';
import { firstSeen } from '../news/unread.ts';
import { daysSpan, eventsReaching, eventsSpan, shownFirst } from './span.ts';
import { readEvents } from './view.ts';
import { todayWall, VIEWS, windowOf } from './window.ts';

const ANNA = { memberId: 'anna-0000-0001' };

function form(changes: Partial<EventInput>): EventInput {
	const result = checkEvent({ ...blankEvent('2018-05-04'), title: 'Bingo', ...changes });
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.value;
}

function yearOf(...inputs: Partial<EventInput>[]) {
	const doc = new LocalDoc<AgendaDoc>({ period: imm('2018'), events: {} });
	const ids = inputs.map((input) => createEvent(doc, form(input), ANNA));
	return { doc, ids, events: () => readEvents([{ url: 'automerge:2018', doc: doc.doc }]).items };
}

describe('the days an agenda document covers', () => {
	it('run from the first start to the last end, across the new year', () => {
		const year = yearOf({ day: '2018-05-04' }, { day: '2018-12-31', endDay: '2019-01-02', endTime: '12:00' }, { day: '2018-02-14' });
		expect(eventsSpan(year.events())).toEqual({ from: '2018-02-14', to: '2019-01-02' });
	});

	it('take in a date an occurrence moved to', () => {
		const year = yearOf({ day: '2018-05-04' });
		changeOccurrence(year.doc, year.ids[0]!, '2018-05-04T10:00', { start: '2019-03-01T10:00', end: '2019-03-01T11:30' }, ANNA);
		expect(eventsSpan(year.events())).toEqual({ from: '2018-05-04', to: '2019-03-01' });
	});

	it('reach forever for a repeating activity, and are none for a document without activities', () => {
		const weekly = yearOf({ repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 } });
		expect(eventsSpan(weekly.events())).toEqual({ from: '2018-05-04', to: '9999-12-31' });
		expect(eventsSpan([])).toBeUndefined();
	});

	it('end where a repeating activity ends: on the day its rule ends on, or on its last time when it counts', () => {
		const until = yearOf({ day: '2018-05-04', repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'until', until: '2018-06-30', count: 0 } });
		// The rule ends at 23:59 on 30 June, and a time lasts 90 minutes: a day more only brings it sooner.
		expect(eventsSpan(until.events())).toEqual({ from: '2018-05-04', to: '2018-07-01' });
		// Six Fridays from 4 May, the last on 8 June; the evening runs past midnight.
		const counted = yearOf({ day: '2018-05-04', startTime: '22:00', endTime: '01:00', endDay: '2018-05-05', repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'count', until: '', count: 6 } });
		expect(eventsSpan(counted.events())).toEqual({ from: '2018-05-04', to: '2018-06-09' });
	});

	it('meet the days a page shows: a week, its last day included', () => {
		const week = windowOf('week', '2018-12-27T00:00');
		expect(daysSpan(week.from, week.to)).toEqual({ from: '2018-12-24', to: '2018-12-31' });
		expect(daysSpan('2026-03-02T10:00')).toEqual({ from: '2026-03-02', to: '9999-12-31' });
	});
});

describe('what the agenda shows first', () => {
	it('takes in, on any day of the year, each view of today and the news of a first look', () => {
		for (let day = 0; day < 366; day += 1) {
			const now = new Date(Date.UTC(2026, 0, 1, 9) + day * 24 * 3600_000);
			const today = todayWall(now);
			const first = shownFirst(today);
			for (const view of VIEWS) {
				const shown = windowOf(view, today);
				expect(contains(first, daysSpan(shown.from, shown.to)), `${view} of ${today}`).toBe(true);
			}
			const news = daysSpan(`${firstSeen(now).since.slice(0, 10)}T00:00`);
			expect(contains(first, news), `news of ${today}`).toBe(true);
		}
		expect(shownFirst('2026-12-06T00:00')).toEqual({ from: '2026-11-28', to: '9999-12-31' });
		expect(shownFirst('2026-12-20T00:00')).toEqual({ from: '2026-12-01', to: '9999-12-31' });
	});

	it('keeps of a year what reaches into that time: what ends in it, moved into it, or repeats', () => {
		const weekly = { day: '2018-02-05', title: 'Koffieochtend', repeat: { repeat: 'weekly' as const, interval: 1, weekdays: [], ends: 'never' as const, until: '', count: 0 } };
		const year = yearOf({ day: '2018-03-04', title: 'Bingo' }, { day: '2018-11-30', endDay: '2018-12-02', endTime: '12:00', title: 'Kerstmarkt opbouwen' }, { day: '2018-05-04', title: 'Koor' }, weekly, { day: '2018-12-19', title: 'Kerstdiner' });
		changeOccurrence(year.doc, year.ids[2]!, '2018-05-04T10:00', { start: '2018-12-05T10:00', end: '2018-12-05T11:30' }, ANNA);
		const kept = eventsReaching(year.events(), { from: '2018-12-01', to: '9999-12-31' });
		expect(kept.map((e) => e.title)).toEqual(['Koffieochtend', 'Koor', 'Kerstmarkt opbouwen', 'Kerstdiner']);
		expect(eventsReaching(year.events(), { from: '2019-01-01', to: '2019-01-31' }).map((e) => e.title)).toEqual(['Koffieochtend']);
	});

	it('leaves out a series that ended before that time, and keeps one that ends in it or was moved into it', () => {
		const repeat = (ends: 'until' | 'count', until: string, count: number) => ({ repeat: 'weekly' as const, interval: 1, weekdays: [], ends, until, count });
		const year = yearOf(
			{ day: '2018-01-03', title: 'Yoga', repeat: repeat('until', '2018-11-28', 0) },
			{ day: '2018-01-03', title: 'Schilderen', repeat: repeat('count', '', 10) },
			{ day: '2018-01-03', title: 'Koor', repeat: repeat('until', '2018-12-05', 0) },
			{ day: '2018-01-04', title: 'Wandelen', repeat: repeat('count', '', 50) },
			{ day: '2018-01-03', title: 'Breien', repeat: repeat('count', '', 3) }
		);
		// Breien's last time, 17 January, moved to December.
		changeOccurrence(year.doc, year.ids[4]!, '2018-01-17T10:00', { start: '2018-12-12T10:00', end: '2018-12-12T11:30' }, ANNA);
		const kept = eventsReaching(year.events(), { from: '2018-12-01', to: '9999-12-31' });
		expect(kept.map((e) => e.title).sort()).toEqual(['Breien', 'Koor', 'Wandelen']);
	});
});
