// An honest device is never refused: members with different roles, each on their own device,
// do random things the app's pages offer them (asking the same `may…` functions the pages ask),
// go offline and come back in any order. The relay's copies judge every change they receive
// with the modules' rules; none is refused, and every device ends with what the relay has.
import { describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import { generateAutomergeUrl, Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import * as fc from 'fast-check';
import type { Role } from '../access/roles.ts';
import type { AgendaDoc } from '../agenda/document.ts';
import {
	blankEvent,
	cancelEvent,
	cancelSignup,
	changeOccurrence,
	changeSeriesFrom,
	comeBack,
	createEvent,
	editEvent,
	eventInput,
	restoreEvent,
	restoreOccurrence,
	restoreSignup,
	signUp,
	skipOccurrence,
	stayAway,
	typeDescription,
	type EventInput
} from '../agenda/mutations.ts';
import { newAgendaDoc } from '../agenda/periods.ts';
import { agendaRules, mayEditEvent, maySignUpFor } from '../agenda/rules.ts';
import { addDays, dayOf } from '../agenda/time.ts';
import { readEvents } from '../agenda/view.ts';
import { newMapDoc } from '../map/create.ts';
import type { MapDoc } from '../map/document.ts';
import {
	addTheme,
	blankOrganization,
	blankService,
	createOrganization,
	createService,
	editService,
	removeItem,
	restoreItem,
	reviewService,
	setMapSettings
} from '../map/mutations.ts';
import { mapRules, mayChangeMapSettings, mayEditMap } from '../map/rules.ts';
import { readMap } from '../map/view.ts';
import { createNeighbourhood } from '../neighbourhood/create.ts';
import type { RootDoc } from '../neighbourhood/document.ts';
import { addAgendaDoc, addHelpCategory, addHelpPeriod, updateDetails } from '../neighbourhood/mutations.ts';
import { mayChangeNeighbourhood, rootRules } from '../neighbourhood/rules.ts';
import { emptyDetails } from '../neighbourhood/schema.ts';
import type { Refused, Rule, Who } from './judge.ts';
import { RefereeCopy, RefereedDoc } from './refereed-doc.ts';

const who = (member: string, roles: Role[], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const PEOPLE = [
	who('anna-0000-0001', []),
	who('ben-0000-00002', ['intermediary'], ['greta-000-0005']),
	who('edith-000-0003', ['agenda']),
	who('fatima-000004', ['map']),
	who('manon-000-0006', ['manager'])
];

type Docs = { agenda: AgendaDoc; map: MapDoc; root: RootDoc };
type Kind = keyof Docs;
const RULES: { [K in Kind]: Rule } = { agenda: agendaRules, map: mapRules, root: rootRules };

interface Device {
	who: Who;
	docs: { [K in Kind]: RefereedDoc<Docs[K]> };
}

const ACTIONS = [
	'newEvent', 'newEvent', 'editEvent', 'describe', 'skip', 'unskip', 'changeOne', 'cancelEvent', 'restoreEvent', 'seriesFrom',
	'signUp', 'cancelSignup', 'restoreSignup', 'away', 'comeBack',
	'newOrganization', 'newService', 'newService', 'editService', 'review', 'removeService', 'restoreService', 'theme', 'mapSettings',
	'details', 'category', 'listDocument', 'listDocument',
	'sync', 'sync'
] as const;
const AGENDA_ACTIONS = new Set<string>(ACTIONS.slice(0, ACTIONS.indexOf('comeBack') + 1));
type Action = { device: number; what: (typeof ACTIONS)[number]; pick: number; word: string };

const weekly = (title: string, day: string): EventInput => ({
	...blankEvent(day),
	title,
	capacity: 2,
	repeat: { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }
});

/** A series document with an event by a plain member and one by an agenda editor. */
function withEvents(): A.Doc<AgendaDoc> {
	let doc = A.change(A.init<AgendaDoc>(), (d) => void Object.assign(d, newAgendaDoc('series')));
	const handle = { change: (fn: A.ChangeFn<AgendaDoc>) => void (doc = A.change(doc, fn)) };
	createEvent(handle, weekly('Koffieochtend', '2026-12-07'), { memberId: PEOPLE[0].member });
	createEvent(handle, weekly('Yoga', '2026-12-08'), { memberId: PEOPLE[2].member });
	return doc;
}

/** The documents as a new neighbourhood has them, made once: every run loads its own copies. */
const initial = (() => {
	const made = createNeighbourhood(new Repo(), emptyDetails('Lindenbuurt'), { relays: [] });
	return {
		agenda: A.save(withEvents()),
		map: A.save(A.change(A.init<MapDoc>(), (d) => void Object.assign(d, newMapDoc()))),
		root: A.save(made.root.doc())
	};
})();

function start(): { devices: Device[]; relay: { [K in Kind]: RefereeCopy<Docs[K]> } } {
	const relay = {
		agenda: new RefereeCopy(agendaRules, A.load<AgendaDoc>(initial.agenda)),
		map: new RefereeCopy(mapRules, A.load<MapDoc>(initial.map)),
		root: new RefereeCopy(rootRules, A.load<RootDoc>(initial.root))
	};
	// Loading gives each device its own Automerge actor, as a real device has.
	const devices = PEOPLE.map((person) => ({
		who: person,
		docs: {
			agenda: new RefereedDoc(RULES.agenda, person, A.load<AgendaDoc>(initial.agenda)),
			map: new RefereedDoc(RULES.map, person, A.load<MapDoc>(initial.map)),
			root: new RefereedDoc(RULES.root, person, A.load<RootDoc>(initial.root))
		}
	}));
	return { devices, relay };
}

const nth = <T>(items: T[], pick: number): T | undefined => (items.length ? items[pick % items.length] : undefined);

/** Does what the pages let this person do; returns nothing when the pick offers nothing. */
function act(device: Device, { what, pick, word }: Action): void {
	const me = device.who.member;
	const actor = { memberId: me };
	const agenda = device.docs.agenda;
	const map = device.docs.map;
	const root = device.docs.root as unknown as DocHandle<RootDoc>;
	const agendaAction = AGENDA_ACTIONS.has(what);
	// Read only what the action needs: reading every document on every step would make this slow.
	const events = agendaAction ? readEvents([{ url: 'automerge:series', doc: agenda.current }]).items : [];
	const editable = events.filter((e) => mayEditEvent(device.who, e));
	const event = nth(editable, pick);
	const anyEvent = nth(events, pick);
	const title = `Activiteit ${word}`.trim();
	const date = event && addDays(event.start, 7 * (pick % 4));
	// Sign-ups this person may change: their own, and those of residents they act for.
	const signups = events.flatMap((e) => e.signups.filter((s) => maySignUpFor(device.who, s.member)).map((s) => ({ e, s })));
	const mine = nth(signups, pick);
	const mapRead = agendaAction ? undefined : readMap([map.current]);
	const service = nth(mapRead?.services ?? [], pick);
	switch (what) {
		case 'newEvent':
			createEvent(agenda, weekly(title, `2027-0${1 + (pick % 9)}-1${pick % 10}`), actor);
			return;
		case 'editEvent':
			if (event) editEvent(agenda, event.id, { ...eventInput(event), title, capacity: pick % 5 }, actor);
			return;
		case 'describe':
			if (event) typeDescription(agenda, event.id, `${event.description} ${word}`.slice(0, 200), actor);
			return;
		case 'skip':
			if (event && date) skipOccurrence(agenda, event.id, date, word || 'Feestdag', actor);
			return;
		case 'unskip':
			if (event && date) restoreOccurrence(agenda, event.id, date, actor);
			return;
		case 'changeOne':
			if (event && date) changeOccurrence(agenda, event.id, date, { location: `Zaal ${word}`, note: word }, actor);
			return;
		case 'cancelEvent':
			if (event) cancelEvent(agenda, event.id, `Afgelast ${word}`, actor);
			return;
		case 'restoreEvent':
			if (event) restoreEvent(agenda, event.id, actor);
			return;
		case 'seriesFrom':
			if (event?.rrule && date) changeSeriesFrom(agenda, event, dayOf(addDays(date, 1)), { ...eventInput(event), title }, actor);
			return;
		case 'signUp': {
			const forWhom = nth([me, ...device.who.actsFor], pick)!;
			if (anyEvent && maySignUpFor(device.who, forWhom)) {
				signUp(agenda, anyEvent.id, pick % 2 ? '' : anyEvent.start, forWhom === me ? actor : { memberId: forWhom, actedBy: me });
			}
			return;
		}
		case 'cancelSignup':
			if (mine) cancelSignup(agenda, mine.e.id, mine.s.id, mine.s.member === me ? actor : { memberId: mine.s.member, actedBy: me });
			return;
		case 'restoreSignup':
			if (mine) restoreSignup(agenda, mine.e.id, mine.s.id);
			return;
		case 'away':
			if (mine) stayAway(agenda, mine.e.id, mine.s.id, addDays(mine.e.start, 7));
			return;
		case 'comeBack':
			if (mine) comeBack(agenda, mine.e.id, mine.s.id, addDays(mine.e.start, 7));
			return;
	}
	if (mapRead && mayEditMap(device.who)) {
		const org = nth(mapRead.organizations, pick);
		const input = { ...blankService(org?.id ?? ''), name: `Dienst ${word}`.trim(), themes: [nth(mapRead.themes, pick)!], phone: pick % 2 ? '020 123 4567' : '' };
		switch (what) {
			case 'newOrganization':
				createOrganization(map, { ...blankOrganization(), name: `Stichting ${word}`.trim() }, actor);
				return;
			case 'newService':
				if (org) createService(map, input, actor);
				return;
			case 'editService':
				if (service && org) editService(map, service.id, { ...input, description: word }, actor);
				return;
			case 'review':
				if (service) reviewService(map, service.id, actor);
				return;
			case 'removeService':
				if (service) removeItem(map, 'service', service.id, `Weg ${word}`, actor);
				return;
			case 'restoreService':
				if (service) restoreItem(map, 'service', service.id, actor);
				return;
			case 'theme':
				addTheme(map, `thema ${word}`);
				return;
		}
	}
	if (what === 'mapSettings' && mayChangeMapSettings(device.who)) {
		setMapSettings(map, { centre: { lat: 52 + (pick % 10) / 100, lon: 5 }, tiles: '' });
	}
	if (mayChangeNeighbourhood(device.who)) {
		if (what === 'details') updateDetails(root, { ...emptyDetails(`Lindenbuurt ${word}`.trim()), contactHours: word });
		if (what === 'category') addHelpCategory(root, `soort ${word}`);
	}
	// Whoever posts first in a new quarter or year starts its document and lists it.
	if (what === 'listDocument') {
		if (pick % 2) addHelpPeriod(root, `2027Q${1 + (pick % 4)}`, generateAutomergeUrl());
		else addAgendaDoc(root, String(2027 + (pick % 3)), generateAutomergeUrl());
	}
}

/** Sends this device's changes to the relay and takes back what the relay has. */
function sync(device: Device, relay: ReturnType<typeof start>['relay'], refused: Refused[]): void {
	for (const kind of ['agenda', 'map', 'root'] as const) {
		const copy = relay[kind] as RefereeCopy<unknown>;
		const local = device.docs[kind] as RefereedDoc<unknown>;
		refused.push(...copy.receive(local.current, device.who));
		local.current = A.merge(A.clone(local.current), copy.doc);
	}
}

describe('honest devices', () => {
	it('are never refused, offline or not, and all end with the same documents', () => {
		// What the relay took over all runs, per document: the property must not hold by doing nothing.
		const taken = { agenda: 0, map: 0, root: 0 };
		const action = fc.record({
			device: fc.nat(PEOPLE.length - 1),
			what: fc.constantFrom(...ACTIONS),
			pick: fc.nat(1000),
			word: fc.stringMatching(/^[a-z]{0,8}$/)
		});
		fc.assert(
			fc.property(fc.array(action, { minLength: 10, maxLength: 30, size: 'max' }), (actions) => {
				const { devices, relay } = start();
				const refused: Refused[] = [];
				for (const step of actions) {
					const device = devices[step.device];
					if (step.what === 'sync') sync(device, relay, refused);
					else act(device, step);
				}
				// Everyone comes online: first all send, then all receive.
				for (const device of devices) sync(device, relay, refused);
				for (const device of devices) sync(device, relay, refused);
				const local = devices.flatMap((d) => Object.values(d.docs).flatMap((doc) => doc.refused));
				expect([...refused, ...local].map((r) => `${r.rule} at ${r.path.join('/')}`)).toEqual([]);
				for (const kind of ['agenda', 'map', 'root'] as const) {
					const held = relay[kind].doc as A.Doc<unknown>;
					taken[kind] += A.getAllChanges(held).length - 1;
					for (const device of devices) expect(A.getHeads(device.docs[kind].current as A.Doc<unknown>).sort()).toEqual(A.getHeads(held).sort());
				}
			}),
			{ numRuns: 15 }
		);
		expect(taken.agenda).toBeGreaterThan(20);
		expect(taken.map).toBeGreaterThan(0);
		expect(taken.root).toBeGreaterThan(0);
	});
});
