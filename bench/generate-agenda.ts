// A seeded ten-year neighbourhood agenda for benchmarks (issue: 5,000 events, 200 of them
// recurring): one-off events in a document per year, series in the 'series' document, written
// through the same domain mutations the app uses, one change per action, so the documents carry
// the history a real agenda would: sign-ups and cancellations, skipped and moved occurrences,
// descriptions typed by several volunteers. Every document draws from its own seeded stream.
// Event ids are seeded; sign-up ids and Automerge actor ids are random (the mutations make them),
// so stored sizes vary by a fraction of a percent between runs; the content does not.
//
// To save an agenda to a folder: npx tsx bench/generate-agenda.ts --out /tmp/agenda [--seed 7] [--scale 0.1]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/lib/help/document.ts';
import { ACCESSIBILITY, AGENDA_CATEGORIES, type AgendaDoc } from '../src/lib/agenda/document.ts';
import {
	blankEvent,
	cancelEvent,
	cancelSignup,
	changeOccurrence,
	changeSeriesFrom,
	checkEvent,
	createEvent,
	editEvent,
	eventInput,
	signUp,
	skipOccurrence,
	typeDescription,
	type AgendaHandle,
	type EventInput
} from '../src/lib/agenda/mutations.ts';
import { SERIES } from '../src/lib/agenda/document.ts';
import { newAgendaDoc } from '../src/lib/agenda/periods.ts';
import { ruleStarts, type RepeatChoice } from '../src/lib/agenda/recurrence.ts';
import { scheduleOf } from '../src/lib/agenda/schema.ts';
import { addDays, addMinutes, floating, wallOf, type Wall } from '../src/lib/agenda/time.ts';
import { readEvents } from '../src/lib/agenda/view.ts';
import { BENCH_NOW, benchArgs, generateMembers, prng, TEN_YEARS, type GeneratedMember } from './generate-help.ts';

export interface AgendaScale {
	/** One-off events, over the ten years before `now` and a few months after. */
	events: number;
	series: number;
}

export const AGENDA_TEN_YEARS: AgendaScale = { events: 4_800, series: 200 };
export const FIRST_YEAR = 2017;

export interface AgendaDocument {
	/** '2026', or 'series'. */
	period: string;
	/** `Automerge.save` of the document, as a device or the relay stores it. */
	bytes: Uint8Array;
	events: number;
	signups: number;
	changes: number;
}

export interface GeneratedAgenda {
	seed: number;
	scale: AgendaScale;
	now: string;
	members: GeneratedMember[];
	/** Newest year first, the series document last. */
	documents: AgendaDocument[];
	counts: { events: number; series: number; signups: number; changes: number };
}

const TITLES: Record<(typeof AGENDA_CATEGORIES)[number], string[]> = {
	ontmoeting: ['Burendag', 'Nieuwjaarsborrel', 'Straatfeest Lindenlaan', 'Welkomstmiddag nieuwe buren', 'Buurtbarbecue', 'Spelletjesmiddag', 'Sinterklaasintocht in de wijk'],
	bewegen: ['Wandeling langs de Dinkel', 'Fietstocht naar het Lutterzand', 'Valpreventie: in balans', 'Jeu de boules-toernooi', 'Dansmiddag voor 55-plussers'],
	eten: ['Soepmiddag', 'Buurtmaaltijd: stamppot', 'Pannenkoekenmiddag', 'Kookworkshop Marokkaans', 'Oliebollen bakken', 'Paasbrunch'],
	cultuur: ['Filmavond: Publieke Werken', 'Voorleesmiddag', 'Koorconcert in de Pauluskerk', 'Expositie schilderclub', 'Muziekquiz', 'Toneel: De Gebroeders Flodder'],
	leren: ['Cursus veilig internetten', 'Workshop DigiD', 'Lezing: de geschiedenis van de wijk', 'Bloemschikken voor Kerst', 'Informatieavond zonnepanelen'],
	gezondheid: ['Griepprik', 'Bloeddruk meten', 'Informatie over dementie', 'EHBO-opfriscursus', 'Reanimatiecursus'],
	spreekuur: ['Spreekuur ouderenadviseur', 'Belastinghulp', 'Spreekuur woningcorporatie', 'Inloop Sociaal Wijkteam', 'Energiecoach aan huis'],
	overig: ['Rommelmarkt', 'Zwerfvuilactie', 'Plantjesmarkt', 'Kledingruil', 'Repair Café extra', 'Vergadering buurtvereniging']
};
const SERIES_TITLES: Record<string, string[]> = {
	ontmoeting: ['Koffieochtend', 'Inloop in de huiskamer', 'Klaverjassen', 'Breiclub', 'Bingo', 'Mannenochtend'],
	bewegen: ['Stoelyoga', 'Wandelgroep', 'Jeu de boules', 'Gym voor ouderen', 'Fietsclub'],
	eten: ['Samen eten', 'Buurtmaaltijd', 'Soep op woensdag'],
	cultuur: ['Zangkoor', 'Schilderclub', 'Leesclub', 'Handwerkclub'],
	leren: ['Taalcafé', 'Digicafé', 'Huiswerkbegeleiding', 'Engelse conversatie'],
	gezondheid: ['Geheugentraining', 'Bloeddruk meten op maandag'],
	spreekuur: ['Spreekuur wijkagent', 'Spreekuur buurtteam', 'Formulierenhulp', 'Repair Café'],
	overig: ['Moestuin: samen wieden', 'Zwerfvuilronde', 'Bestuursvergadering']
};
const PLACES = ['Buurthuis De Linde', 'Pauluskerk, zaal 2', 'Bibliotheek Eikenwijk', 'Wijkcentrum De Weide', 'Speeltuin Kastanjeplein', 'Gymzaal Schoolweg', 'Sporthal Berkhout', 'Cafe De Kroon', 'Zorgcentrum Het Anker', 'Moestuin achter de Beukenstraat'];
const ORGANISERS = ['Buurtvereniging De Linde', 'Stichting Welzijn Eikenwijk', 'Bibliotheek Eikenwijk', 'Sociaal Wijkteam', 'Pauluskerk', 'Zonnebloem afd. Eikenwijk', 'Repair Café Eikenwijk', 'Huisartsenpraktijk De Weide', 'Ouderenbond KBO', 'Vrijwilligers van de huiskamer'];
const CONTACTS = ['06 12345678', 'info@buurthuisdelinde.nl', '053 4321098', 'welzijn@eikenwijk.nl', 'Bel of app Joke: 06 98765432', ''];
const COSTS = ['', '', '', 'gratis', '€ 2,50', '€ 5', '€ 7,50 incl. maaltijd', '€ 1 (koffie)', 'vrijwillige bijdrage'];
const SENTENCES = [
	'Iedereen is welkom, ook als u nog nooit bent geweest.',
	'De koffie en thee staan klaar.',
	'Neem gerust een buurvrouw of buurman mee.',
	'Opgeven is niet nodig, maar helpt ons met de boodschappen.',
	'De zaal is rolstoeltoegankelijk; er is een invalidentoilet.',
	'Wie slecht ter been is, kan worden opgehaald: bel dan even van tevoren.',
	'Na afloop is er tijd om na te praten.',
	'Bij slecht weer gaat het binnen door.',
	'Kinderen zijn van harte welkom, onder begeleiding.',
	'Vergeet uw leesbril niet.',
	'Er is een ringleiding in de grote zaal.',
	'Wij zoeken nog vrijwilligers die willen helpen met opruimen.',
	'Parkeren kan op het plein achter het gebouw.',
	'De opbrengst gaat naar de activiteitenpot van de buurt.',
	'Het programma wordt georganiseerd samen met de bibliotheek.',
	'Heeft u vragen? Loop gerust even binnen bij het buurthuis.',
	'Vorig jaar waren er meer dan veertig buren, dus kom op tijd!',
	'Er is een tolk Turks en Arabisch aanwezig.'
];
const SKIP_REASONS = ['Koningsdag', 'Kerstvakantie', 'Zomerstop', 'Zaal is bezet', 'Vrijwilliger ziek', 'Hemelvaartsdag', 'Tweede Pinksterdag', ''];
const OVERRIDE_NOTES = ['Deze keer in de kleine zaal', 'Een uur later vanwege de verkiezingen', 'Met gastspreker', 'Extra lang: jubileum', ''];
const TIMES = ['09:30', '10:00', '10:00', '13:30', '14:00', '14:00', '15:00', '19:00', '19:30', '20:00'];
const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/** A plain document instead of a DocHandle: the same mutations, without the repo's events. */
class Bulk implements AgendaHandle {
	doc: A.Doc<AgendaDoc>;
	changes = 0;
	constructor(period: string) {
		this.doc = A.from({ ...newAgendaDoc(period) });
		this.changes = 1;
	}
	change(fn: A.ChangeFn<AgendaDoc>) {
		const before = this.doc;
		this.doc = A.change(this.doc, fn);
		if (this.doc !== before) this.changes += 1;
	}
}

type Random = () => number;

function tools(random: Random, members: string[]) {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
	const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
	// About one action in twenty is done by a volunteer for a resident without a device.
	const actor = (): Actor => (random() < 0.05 ? { memberId: pick(members), actedBy: pick(members) } : { memberId: pick(members) });
	/** A description of roughly `length` characters, whole sentences, at least 100. */
	const description = (length: number) => {
		let text = '';
		while (text.length < length - 40) {
			const next = pick(SENTENCES);
			if (text.length + next.length + 1 > 600) break;
			text = text ? `${text} ${next}` : next;
		}
		return text;
	};
	return { pick, between, hex, actor, description };
}

const instant = (wall: Wall) => floating(wall);
const clampTo = (date: Date, max: Date) => (date.getTime() > max.getTime() ? max : date);

function valid(input: EventInput): EventInput {
	const checked = checkEvent(input);
	if (!checked.ok) throw new Error(`generated an invalid event: ${JSON.stringify(checked.errors)}`);
	return checked.value;
}

/**
 * Sign-ups (0–30, most events few) up to `now`, a few of them cancelled later; for a series some
 * are for the whole series, the rest for one occurrence from `rids`.
 */
function signUps(
	bulk: Bulk,
	t: ReturnType<typeof tools>,
	random: Random,
	id: string,
	opened: Date,
	closes: Date,
	rids: string[]
): number {
	const count = Math.floor(random() * random() * 31);
	const span = Math.max(0, closes.getTime() - opened.getTime());
	const made: [string, number][] = [];
	for (let i = 0; i < count; i += 1) {
		const at = opened.getTime() + ((i + random()) / count) * span;
		const rid = rids.length && random() < 0.7 ? t.pick(rids) : '';
		const signup = signUp(bulk, id, rid, t.actor(), new Date(at));
		if (signup) made.push([signup, at]);
	}
	for (const [signup, at] of made) {
		if (random() < 0.08) cancelSignup(bulk, id, signup, t.actor(), new Date(at + random() * (closes.getTime() - at)));
	}
	return made.length;
}

/** Co-editing after creation: a volunteer types a sentence word by word, or someone saves the form again. */
function edits(bulk: Bulk, t: ReturnType<typeof tools>, random: Random, id: string, input: EventInput, created: Date, now: Date): void {
	let text = input.description;
	let at = created.getTime();
	const rounds = t.between(1, 3);
	for (let round = 0; round < rounds; round += 1) {
		at = Math.min(at + random() * 5 * 864e5, now.getTime());
		const who = t.actor();
		if (random() < 0.6) {
			const words = t.pick(SENTENCES).split(' ');
			// The editor writes as people type; a burst of a few words per change is what arrives.
			for (let w = t.between(1, 3); w < words.length; w += t.between(1, 3)) {
				typeDescription(bulk, id, `${text} ${words.slice(0, w).join(' ')}`.slice(0, 2900), who, new Date(at + w * 2000));
			}
			text = `${text} ${words.join(' ')}`.slice(0, 2900);
			typeDescription(bulk, id, text, who, new Date(at + words.length * 2000));
		} else {
			const changed: EventInput = { ...input, description: text, location: t.pick(PLACES), cost: t.pick(COSTS) };
			// A series keeps its times: its skips and moved occurrences are keyed by the original start.
			if (random() < 0.4 && !input.allDay && input.repeat.repeat === 'none') changed.startTime = t.pick(TIMES.filter((x) => x < (input.endTime || '23:00')));
			editEvent(bulk, id, valid(changed), who, new Date(at));
			input = changed;
		}
	}
}

function baseInput(t: ReturnType<typeof tools>, random: Random, category: (typeof AGENDA_CATEGORIES)[number], title: string, day: string): EventInput {
	const startTime = t.pick(TIMES);
	const minutes = t.pick([60, 90, 90, 120, 120, 150, 180]);
	const endTime = addMinutes(`${day}T${startTime}`, minutes).slice(11, 16);
	const input: EventInput = {
		...blankEvent(day),
		title,
		description: t.description(t.between(100, 600)),
		category,
		startTime,
		// An evening that runs past midnight would need an end day; keep it on the day.
		endTime: endTime > startTime ? endTime : '23:30',
		location: t.pick(PLACES),
		organiser: t.pick(ORGANISERS),
		contact: t.pick(CONTACTS),
		cost: t.pick(COSTS),
		accessibility: ACCESSIBILITY.filter(() => random() < 0.3),
		accessibilityNote: random() < 0.1 ? 'Ingang aan de achterkant, via de hellingbaan.' : '',
		capacity: random() < 0.25 ? t.pick([8, 10, 12, 15, 20, 25, 40]) : 0
	};
	if (random() < 0.2) {
		input.lat = 52.22 + (random() - 0.5) * 0.02;
		input.lon = 6.89 + (random() - 0.5) * 0.03;
	}
	return input;
}

/** How many one-off events fall in each year: livelier in later years, some planned into next year. */
export function eventsPerYear(scale: AgendaScale, now = BENCH_NOW): Map<string, number> {
	const last = now.getUTCFullYear();
	const next = Math.round(scale.events * 0.025);
	const years = Array.from({ length: last - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
	const weights = years.map((_, i) => 0.7 + (0.6 * i) / Math.max(1, years.length - 1));
	const sum = weights.reduce((a, b) => a + b, 0);
	const counts = new Map<string, number>();
	let given = 0;
	years.forEach((year, i) => {
		const n = i === years.length - 1 ? scale.events - next - given : Math.round(((scale.events - next) * weights[i]) / sum);
		counts.set(String(year), n);
		given += n;
	});
	counts.set(String(last + 1), next);
	return counts;
}

/** One year's document of one-off events, from its own seeded stream. */
export function generateYear(seed: number, year: string, count: number, members: string[], now = BENCH_NOW): AgendaDocument {
	const random = prng(seed * 7919 + Number(year));
	const t = tools(random, members);
	const bulk = new Bulk(year);
	const yearStart = Date.UTC(Number(year), 0, 1);
	// Next year's document holds what is planned so far: the first months.
	const span = Number(year) > now.getUTCFullYear() ? 120 : 365;
	let signups = 0;
	for (let i = 0; i < count; i += 1) {
		const category = t.pick(AGENDA_CATEGORIES);
		const day = new Date(yearStart + Math.floor(((i + random()) / count) * span) * 864e5).toISOString().slice(0, 10);
		const input = baseInput(t, random, category, t.pick(TITLES[category]), day);
		if (random() < 0.08) {
			// Markets and street parties: all day, now and then over a weekend.
			Object.assign(input, { allDay: true, startTime: '', endTime: '', endDay: random() < 0.3 ? addDays(`${day}T00:00`, 1).slice(0, 10) : '' });
			if (input.endDay.slice(0, 4) !== year) input.endDay = '';
		}
		const event = valid(input);
		const start = instant(scheduleOf(event).start);
		const created = clampTo(new Date(start.getTime() - t.between(3, 60) * 864e5 - random() * 864e5), new Date(now.getTime() - 36e5));
		const id = createEvent(bulk, event, t.actor(), created, { id: t.hex(32) });
		if (random() < 0.1) edits(bulk, t, random, id, event, created, now);
		signups += signUps(bulk, t, random, id, created, clampTo(start, now), []);
		if (random() < 0.02) {
			const when = clampTo(new Date(start.getTime() - random() * 3 * 864e5), now);
			if (when.getTime() > created.getTime()) cancelEvent(bulk, id, t.pick(['Te weinig aanmeldingen', 'Zaal niet beschikbaar', 'Weeralarm code oranje']), t.actor(), when);
		}
	}
	return { period: year, bytes: A.save(bulk.doc), events: count, signups, changes: bulk.changes };
}

/** The series document: weekly, fortnightly and monthly series, ended, counted and open-ended. */
export function generateSeries(seed: number, count: number, members: string[], now = BENCH_NOW): AgendaDocument & { continued: number } {
	const random = prng(seed * 7919 + 1);
	const t = tools(random, members);
	const bulk = new Bulk(SERIES);
	const first = Date.UTC(FIRST_YEAR, 0, 2);
	const nowWall = wallOf(now);
	const horizon = addDays(nowWall, 56);
	const split: { id: string; from: string }[] = [];
	let signups = 0;
	for (let i = 0; i < count; i += 1) {
		const category = t.pick(AGENDA_CATEGORIES);
		// Older series are more often over; a few start in the coming weeks.
		const startAt = first + ((i + random()) / count) * (now.getTime() + 21 * 864e5 - first);
		const day = new Date(startAt).toISOString().slice(0, 10);
		const kind = random();
		const repeat: RepeatChoice =
			kind < 0.45
				? { repeat: 'weekly', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }
				: kind < 0.65
					? { repeat: 'weekly', interval: 2, weekdays: random() < 0.2 ? [t.pick(WEEKDAY_CODES.slice(0, 5))] : [], ends: 'never', until: '', count: 0 }
					: kind < 0.95
						? { repeat: 'monthlyNth', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 }
						: { repeat: 'monthlyDate', interval: 1, weekdays: [], ends: 'never', until: '', count: 0 };
		const ending = random();
		if (ending < 0.4) {
			repeat.ends = 'until';
			repeat.until = new Date(startAt + t.between(90, 4 * 365) * 864e5).toISOString().slice(0, 10);
		} else if (ending < 0.47) {
			repeat.ends = 'count';
			repeat.count = t.between(6, 40);
		}
		const input = valid({ ...baseInput(t, random, category as never, t.pick(SERIES_TITLES[category]), day), repeat });
		// The weekday of a chosen fortnightly day may differ from the first day: start on the first occurrence.
		const schedule = { ...scheduleOf(input), skipped: {}, overrides: {} };
		const firstStart = ruleStarts(schedule, schedule.start, addDays(schedule.start, 62))[0];
		if (!firstStart) continue;
		const event = valid({ ...input, day: firstStart.slice(0, 10) });
		const created = clampTo(new Date(startAt - t.between(7, 30) * 864e5), new Date(now.getTime() - 36e5));
		const id = createEvent(bulk, event, t.actor(), created, { id: t.hex(32) });
		const { start, rrule } = scheduleOf(event);
		const rids = ruleStarts({ start, rrule }, start, horizon);
		const past = rids.filter((r) => r <= nowWall);
		// Most skips, moves and sign-ups concern the last year and the weeks ahead, where people look.
		const recent = rids.filter((r) => r >= addDays(nowWall, -365));
		const some = (n: number) => Array.from({ length: n }, () => (recent.length && random() < 0.6 ? t.pick(recent) : t.pick(rids)));
		if (rids.length && random() < 0.5) {
			for (const rid of some(t.between(1, 8))) {
				skipOccurrence(bulk, id, rid, t.pick(SKIP_REASONS), t.actor(), clampTo(new Date(instant(rid).getTime() - t.between(1, 30) * 864e5), now));
			}
		}
		if (rids.length && random() < 0.3) {
			for (const rid of some(t.between(1, 4))) {
				const later = random() < 0.5;
				const duration = Math.max(30, (instant(scheduleOf(event).end).getTime() - instant(start).getTime()) / 60_000);
				const moved = later ? addMinutes(rid, 60) : rid;
				changeOccurrence(
					bulk,
					id,
					rid,
					{ start: moved, end: later ? addMinutes(moved, duration) : undefined, location: random() < 0.6 ? t.pick(PLACES) : '', note: t.pick(OVERRIDE_NOTES) },
					t.actor(),
					clampTo(new Date(instant(rid).getTime() - t.between(1, 20) * 864e5), now)
				);
			}
		}
		if (random() < 0.1) edits(bulk, t, random, id, event, created, now);
		const signupRids = (recent.length ? recent : past.length ? past : rids).slice(0, 60);
		signups += signUps(bulk, t, random, id, created, now, signupRids);
		// Now and then a series changes "from a date on" (another day, another time): it ends and a new one follows.
		const future = rids.filter((r) => r > addDays(nowWall, -200) && r < nowWall);
		if (repeat.ends === 'never' && future.length > 4 && random() < 0.05) split.push({ id, from: future[Math.floor(future.length / 2)].slice(0, 10) });
	}
	for (const { id, from } of split) {
		const event = readEvents([{ url: 'automerge:series', doc: bulk.doc }]).items.find((e) => e.id === id);
		if (!event) continue;
		const form = eventInput(event);
		const next = valid({ ...form, day: from, startTime: form.startTime === '10:00' ? '10:30' : '10:00', endTime: form.startTime === '10:00' ? '12:00' : '11:30' });
		changeSeriesFrom(bulk, event, from, next, t.actor(), clampTo(new Date(instant(`${from}T00:00`).getTime() - 14 * 864e5), now));
	}
	const events = Object.keys(bulk.doc.events).length;
	return { period: SERIES, bytes: A.save(bulk.doc), events, signups, changes: bulk.changes, continued: split.length };
}

export function generateAgenda(seed: number, scale: AgendaScale = AGENDA_TEN_YEARS, now = BENCH_NOW): GeneratedAgenda {
	const members = generateMembers(seed, TEN_YEARS, now);
	const ids = members.map((m) => m.id);
	const years = [...eventsPerYear(scale, now)].reverse().map(([year, count]) => generateYear(seed, year, count, ids, now));
	const series = generateSeries(seed, scale.series, ids, now);
	const documents = [...years, series];
	return {
		seed,
		scale,
		now: now.toISOString(),
		members,
		documents,
		counts: {
			events: years.reduce((n, d) => n + d.events, 0),
			series: series.events,
			signups: documents.reduce((n, d) => n + d.signups, 0),
			changes: documents.reduce((n, d) => n + d.changes, 0)
		}
	};
}

/** Command-line arguments, as generate-help.ts's `benchArgs` plus `--now`. */
export function agendaArgs(argv = process.argv) {
	const base = benchArgs(argv);
	const factor = base.scale.posts / TEN_YEARS.posts;
	const at = argv.indexOf('--now');
	return {
		...base,
		scale: { events: Math.round(AGENDA_TEN_YEARS.events * factor), series: Math.round(AGENDA_TEN_YEARS.series * factor) } satisfies AgendaScale,
		now: at >= 0 ? new Date(argv[at + 1]) : BENCH_NOW
	};
}

interface AgendaIndexFile extends Omit<GeneratedAgenda, 'documents'> {
	documents: (Omit<AgendaDocument, 'bytes'> & { file: string; bytes: number })[];
}

/** `<period>.automerge` per document (ready for `Repo.import`) and an index.json. */
export function saveAgenda(folder: string, generated: GeneratedAgenda): void {
	mkdirSync(folder, { recursive: true });
	const index: AgendaIndexFile = {
		...generated,
		documents: generated.documents.map(({ bytes, ...rest }) => {
			const file = `agenda-${rest.period}.automerge`;
			writeFileSync(join(folder, file), bytes);
			return { ...rest, file, bytes: bytes.byteLength };
		})
	};
	writeFileSync(join(folder, 'agenda.json'), JSON.stringify(index, null, '\t'));
}

export const hasSavedAgenda = (folder: string | undefined): folder is string => Boolean(folder && existsSync(join(folder, 'agenda.json')));

export function loadAgenda(folder: string): GeneratedAgenda {
	const index = JSON.parse(readFileSync(join(folder, 'agenda.json'), 'utf8')) as AgendaIndexFile;
	return {
		...index,
		documents: index.documents.map(({ file, ...rest }) => ({ ...rest, bytes: new Uint8Array(readFileSync(join(folder, file))) }))
	};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = agendaArgs();
	if (!args.out) {
		console.error('Usage: npx tsx bench/generate-agenda.ts --out <folder> [--seed n] [--scale 1] [--now 2026-11-28T12:00:00Z]');
		process.exit(1);
	}
	const started = performance.now();
	const generated = generateAgenda(args.seed, args.scale, args.now);
	saveAgenda(args.out, generated);
	const { counts } = generated;
	const total = generated.documents.reduce((n, d) => n + d.bytes.byteLength, 0);
	console.log(
		`${counts.events} one-off events and ${counts.series} series, ${counts.signups} sign-ups, ${counts.changes} changes in ` +
			`${generated.documents.length} documents (seed ${args.seed}): ${(total / 1024 / 1024).toFixed(1)} MB in ${args.out}, ` +
			`${Math.round(performance.now() - started)} ms`
	);
}
