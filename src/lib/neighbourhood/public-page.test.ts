import { Repo } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import { ZONE, type AgendaDoc } from '../agenda/document.ts';
import { blankEvent, cancelEvent, changeOccurrence, checkEvent, createEvent, editEvent, eventInput, skipOccurrence, type EventInput } from '../agenda/mutations.ts';
import { instantOf } from '../agenda/time.ts';
import { readEvents, type AgendaEvent } from '../agenda/view.ts';
import { createNeighbourhood } from './create.ts';
import { setPublicPage } from './mutations.ts';
import { PublicPage, publicPageOf } from './public-page.ts';
import { emptyDetails } from './schema.ts';
import { readNeighbourhood } from './view.ts';

const ANNA = { memberId: 'anna-0000-0001' };
/** Wednesday 11 March 2026, noon in Amsterdam: the week runs from Monday 9 to Sunday 15 March. */
const NOW = instantOf('2026-03-11T12:00', ZONE);
const WEEKLY: EventInput['repeat'] = { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 };

class Agenda extends LocalDoc<AgendaDoc> {
	constructor() {
		super({ period: imm('series'), events: {} });
	}
	events(): AgendaEvent[] {
		return readEvents([{ url: 'automerge:agenda', doc: this.doc }]).items;
	}
	add(changes: Partial<EventInput>): string {
		const checked = checkEvent({ ...blankEvent('2026-03-10'), title: 'Koffieochtend', ...changes });
		if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
		return createEvent(this, checked.value, ANNA, NOW);
	}
}

function lindenbuurt() {
	const details = { ...emptyDetails('Lindenbuurt'), description: 'Buren helpen elkaar.', contactName: 'Fatima de Vries', contactPhone: '020 123 4567', contactHours: 'ma-vr 9.00-12.00' };
	const profile = { name: 'Fatima', area: 'Lindenlaan', phone: '06 9999 0000', phoneVisibility: 'members' as const, helpWith: [], helpNote: '' };
	return createNeighbourhood(new Repo(), details, { relays: [], manager: { id: 'manager-0001', profile } }).root;
}

function neighbourhoodOf(doc: unknown) {
	const read = readNeighbourhood(doc);
	if (!read.ok) throw new Error(read.problems.join());
	return read.neighbourhood;
}

describe('an event on the public page', () => {
	it('is off unless an organiser ticks it, and can be ticked and unticked', () => {
		const agenda = new Agenda();
		const id = agenda.add({});
		expect(agenda.events()[0].public).toBe(false);
		expect(agenda.doc.events[id].public).toBeUndefined();

		const ticked = { ...eventInput(agenda.events()[0]), public: true };
		expect(editEvent(agenda, id, ticked, ANNA, NOW)).toEqual(['public']);
		expect(agenda.events()[0].public).toBe(true);
		expect(eventInput(agenda.events()[0]).public).toBe(true);
		// Saving the same form again records nothing.
		expect(editEvent(agenda, id, ticked, ANNA, NOW)).toEqual([]);
		expect(editEvent(agenda, id, { ...ticked, public: false }, ANNA, NOW)).toEqual(['public']);
		expect(agenda.events()[0].public).toBe(false);
	});

	it('stays off when a peer wrote something else than true', () => {
		const agenda = new Agenda();
		const id = agenda.add({});
		agenda.change((d) => void ((d.events[id] as unknown as Record<string, unknown>).public = 'yes'));
		expect(agenda.events()).toHaveLength(1);
		expect(agenda.events()[0].public).toBe(false);
	});

	it('is kept when a form without the choice saves other fields (an import, an older device)', () => {
		const agenda = new Agenda();
		const id = agenda.add({ public: true });
		const { public: _left, ...older } = eventInput(agenda.events()[0]);
		expect(editEvent(agenda, id, { ...older, title: 'Koffie' }, ANNA, NOW)).toEqual(['title']);
		expect(agenda.events()[0].public).toBe(true);
	});
});

describe('the public page setting', () => {
	it('is on for a new neighbourhood and for an older root without it', () => {
		const root = lindenbuurt();
		expect(neighbourhoodOf(root.doc()).settings.publicPage).toBe(true);
		root.change((d) => void delete d.settings.publicPage);
		expect(neighbourhoodOf(root.doc()).settings.publicPage).toBe(true);
	});

	it('is switched off and on by a manager; only false switches it off', () => {
		const root = lindenbuurt();
		setPublicPage(root, false);
		expect(neighbourhoodOf(root.doc()).settings.publicPage).toBe(false);
		setPublicPage(root, true);
		expect(neighbourhoodOf(root.doc()).settings.publicPage).toBe(true);
		root.change((d) => void ((d.settings as unknown as Record<string, unknown>).publicPage = 'off'));
		expect(neighbourhoodOf(root.doc()).settings.publicPage).toBe(true);
	});
});

describe('the public page', () => {
	it("shows this week's public activities, series expanded, and nothing about members", () => {
		const agenda = new Agenda();
		// A weekly coffee morning since February, moved to another room this Tuesday.
		const coffee = agenda.add({ day: '2026-02-03', public: true, repeat: WEEKLY, location: 'Buurthuis', organiser: 'Anna Jansen', contact: '06 1111 2222' });
		changeOccurrence(agenda, coffee, '2026-03-10T10:00', { location: 'Kerkzaal' }, ANNA, NOW);
		// A public walk on Thursday that is skipped this week.
		const walk = agenda.add({ day: '2026-03-05', public: true, repeat: WEEKLY, title: 'Wandelen' });
		skipOccurrence(agenda, walk, '2026-03-12T10:00', 'Regen', ANNA, NOW);
		agenda.add({ day: '2026-03-15', public: true, title: 'Zondagsconcert', allDay: true, startTime: '', endTime: '' });
		agenda.add({ day: '2026-03-16', public: true, title: 'Volgende week' });
		agenda.add({ day: '2026-03-08', public: true, title: 'Vorige week' });
		agenda.add({ day: '2026-03-11', title: 'Bestuursvergadering' });
		const cancelled = agenda.add({ day: '2026-03-13', public: true, title: 'Bingo' });
		cancelEvent(agenda, cancelled, 'Ziek', ANNA, NOW);

		const page = publicPageOf(neighbourhoodOf(lindenbuurt().doc()), agenda.events(), NOW);
		expect(page).toEqual({
			name: 'Lindenbuurt',
			description: 'Buren helpen elkaar.',
			contact: { phone: '020 123 4567', hours: 'ma-vr 9.00-12.00' },
			week: { from: '2026-03-09T00:00', to: '2026-03-16T00:00' },
			activities: [
				{ title: 'Koffieochtend', start: '2026-03-10T10:00', end: '2026-03-10T11:30', allDay: false, place: 'Kerkzaal' },
				{ title: 'Zondagsconcert', start: '2026-03-15T00:00', end: '2026-03-15T00:00', allDay: true, place: '' }
			]
		});
		expect(v.is(PublicPage, page)).toBe(true);
		const text = JSON.stringify(page);
		for (const personal of ['Fatima', 'Anna', '06 1111 2222', '06 9999 0000', 'manager-0001', 'Regen', 'Ziek']) expect(text).not.toContain(personal);
	});

	it('is not there when the neighbourhood switched it off', () => {
		const agenda = new Agenda();
		agenda.add({ public: true });
		const root = lindenbuurt();
		setPublicPage(root, false);
		expect(publicPageOf(neighbourhoodOf(root.doc()), agenda.events(), NOW)).toBeUndefined();
	});
});
