// The days an agenda document covers decide when an older year comes to the page: a day too few
// and a page showing that day would miss an activity.
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import type { AgendaDoc } from './document.ts';
import { blankEvent, changeOccurrence, checkEvent, createEvent, type EventInput } from './mutations.ts';
import { daysSpan, eventsSpan } from './span.ts';
import { readEvents } from './view.ts';
import { windowOf } from './window.ts';

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

	it('meet the days a page shows: a week, its last day included', () => {
		const week = windowOf('week', '2018-12-27T00:00');
		expect(daysSpan(week.from, week.to)).toEqual({ from: '2018-12-24', to: '2018-12-31' });
		expect(daysSpan('2026-03-02T10:00')).toEqual({ from: '2026-03-02', to: '9999-12-31' });
	});
});
