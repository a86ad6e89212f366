// A seeded ten-year neighbourhood for benchmarks: members, and a help board of quarterly period
// documents written through the same domain mutations the app uses, one change per action, so
// the documents carry a realistic history. Every quarter draws from its own seeded stream, so
// quarters can be generated in parallel (see generate-parallel.ts) and still come out the same.
// Post ids, history keys and Automerge actor ids are random (the mutations make them), so stored
// sizes vary by a fraction of a percent between runs; the content does not.
//
// To save a board to a folder: npx tsx bench/make-board.ts --out /tmp/board [--seed 7] [--scale 0.1]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import type { HelpDoc } from '../src/lib/help/document.ts';
import { accept, createPost, markDone, respond, withdrawPost, type HelpHandle, type PostInput } from '../src/lib/help/mutations.ts';
import { newPeriodDoc, periodOf, previousPeriod } from '../src/lib/help/periods.ts';
import type { ProfileInput } from '../src/lib/members/schema.ts';
import { DEFAULT_HELP_CATEGORIES } from '../src/lib/neighbourhood/document.ts';

export interface Scale {
	posts: number;
	responses: number;
	members: number;
	periods: number;
}

export const TEN_YEARS: Scale = { posts: 20_000, responses: 50_000, members: 400, periods: 40 };
export const BENCH_NOW = new Date('2026-11-28T12:00:00Z');

/** mulberry32: small, fast, and the same numbers for the same seed on every machine. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const FIRST = ['Anna', 'Bert', 'Carla', 'Dirk', 'Els', 'Fatima', 'Gerrit', 'Hanneke', 'Ibrahim', 'Joke', 'Kees', 'Lies', 'Mohamed', 'Nel', 'Oscar', 'Piet', 'Riet', 'Sanne', 'Truus', 'Wim', 'Yvonne', 'Zeynep'];
const LAST = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Yılmaz', 'El Amrani', 'Hendriks'];
const STREETS = ['Lindenlaan', 'Beukenstraat', 'Eikenhof', 'Kastanjeplein', 'Wilgenweg', 'Berkenrode'];
const TITLES: Record<string, string[]> = {
	boodschappen: ['Boodschappen op donderdag', 'Wie haalt mijn medicijnen op?', 'Samen naar de markt', 'Boodschappen van de Jumbo'],
	vervoer: ['Ritje naar het ziekenhuis', 'Vervoer naar de huisarts', 'Lift naar de kerk op zondag', 'Naar het café aan de Markt'],
	klussen: ['Lamp ophangen', 'Lekkende kraan', 'Fiets plakken', 'Gordijnrail vastzetten'],
	gezelschap: ['Samen wandelen', 'Kopje koffie en een praatje', 'Samen een spelletje', 'Voorlezen uit de krant'],
	computerhulp: ['Hulp met de tablet', 'DigiD instellen', 'Foto’s naar mijn kleinkinderen sturen', 'Videobellen leren'],
	tuin: ['Heg snoeien', 'Gras maaien', 'Bladeren ruimen', 'Plantenbakken vullen'],
	administratie: ['Hulp met de belastingaangifte', 'Brief van de gemeente begrijpen', 'Formulier zorgtoeslag'],
	'iets-anders': ['Kat voeren tijdens vakantie', 'Hond uitlaten', 'Post ophalen', 'Planten water geven']
};
const WHEN_WORDS = ['in de ochtend', 'na de lunch', 'in het weekend', 'wanneer het u uitkomt', 'liefst deze week', 'op dinsdag of woensdag'];
const DETAILS = [
	'Ik woon op de tweede verdieping, de lift doet het.',
	'Mijn dochter woont ver weg en kan nu niet komen.',
	'Ik betaal natuurlijk de kosten terug.',
	'Koffie staat klaar!',
	'Het hoeft niet lang te duren, een uurtje is genoeg.',
	'Bel gerust even aan, de bel doet het niet altijd.'
];
const REPLIES = ['Ik kan helpen!', 'Graag, ik heb tijd.', 'Ik woon om de hoek.', 'Zaterdag kan ik wel.', 'Ik kom na mijn werk even langs.', 'Graag! Wanneer schikt het?'];

export interface GeneratedMember {
	id: string;
	profile: ProfileInput;
	joinedAt: string;
}

export interface GeneratedPeriod {
	period: string;
	/** `Automerge.save` of the quarter document, as a device or the relay stores it. */
	bytes: Uint8Array;
	posts: number;
	responses: number;
	changes: number;
}

export interface Generated {
	seed: number;
	scale: Scale;
	members: GeneratedMember[];
	periods: GeneratedPeriod[];
	counts: { posts: number; responses: number; changes: number };
}

function quarterStart(period: string): number {
	const [year, q] = period.split('Q').map(Number);
	return Date.UTC(year, (q - 1) * 3, 1);
}

const hex = (random: () => number, length: number) =>
	Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

export function generateMembers(seed: number, scale: Scale, now = BENCH_NOW): GeneratedMember[] {
	const random = prng(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	return Array.from({ length: scale.members }, () => ({
		id: hex(random, 32),
		profile: {
			name: `${pick(FIRST)} ${pick(LAST)}`,
			area: pick(STREETS),
			phone: random() < 0.5 ? `06 ${Math.floor(10_000_000 + random() * 89_999_999)}` : '',
			phoneVisibility: pick(['members', 'managers', 'nobody'] as const),
			helpWith: DEFAULT_HELP_CATEGORIES.filter(() => random() < 0.2),
			helpNote: ''
		},
		joinedAt: new Date(now.getTime() - random() * 10 * 365 * 864e5).toISOString()
	}));
}

/** The quarters of the board, oldest first, ending with the quarter of `now`. */
export function periodNames(scale: Scale, now = BENCH_NOW): string[] {
	const names: string[] = [];
	let period = periodOf(now);
	for (let i = 0; i < scale.periods; i += 1) {
		names.unshift(period);
		period = previousPeriod(period);
	}
	return names;
}

/** One quarter document, from its own seeded stream (`index` counts from the oldest quarter). */
export function generateQuarter(seed: number, scale: Scale, index: number, now = BENCH_NOW): GeneratedPeriod {
	const random = prng(seed * 1009 + index + 1);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const memberIds = generateMembers(seed, scale, now).map((m) => m.id);
	const names = periodNames(scale, now);
	const name = names[index];

	let doc: A.Doc<HelpDoc> = A.from({ ...newPeriodDoc(name) });
	// A plain document instead of a DocHandle: the same mutations, without the repo's events.
	const handle: HelpHandle = { change: (fn) => void (doc = A.change(doc, fn)) };
	const start = quarterStart(name);
	const span = Math.min(start + (start - quarterStart(previousPeriod(name))), now.getTime()) - start;
	const recent = index >= names.length - 2;
	const postsPer = Math.floor(scale.posts / scale.periods);
	const responsesPerPost = scale.responses / scale.posts;
	let changes = 1;
	let responses = 0;
	for (let p = 0; p < postsPer; p += 1) {
		const category = pick(DEFAULT_HELP_CATEGORIES);
		const at = new Date(start + (p / postsPer) * Math.max(span, 864e5));
		const dated = random() < 0.3;
		const day = new Date(at.getTime() + Math.floor(1 + random() * 14) * 864e5).toISOString().slice(0, 10);
		const input: PostInput = {
			kind: random() < 0.7 ? 'request' : 'offer',
			category,
			title: pick(TITLES[category]),
			description: `${pick(TITLES[category])}. Graag ${pick(WHEN_WORDS)}, ${pick(STREETS)}. ${pick(DETAILS)}`,
			whenKind: dated ? 'date' : 'flexible',
			from: dated ? day : '',
			to: '',
			where: pick(STREETS),
			contact: pick(['noaber', 'phone', 'manager'] as const)
		};
		const author = pick(memberIds);
		// About one post in twenty is placed by a volunteer for a resident without a device.
		const actor = random() < 0.05 ? { memberId: author, actedBy: pick(memberIds) } : { memberId: author };
		const id = createPost(handle, input, actor, at);
		changes += 1;
		const count = Math.max(0, Math.floor(responsesPerPost + (random() - 0.5) * 2 + 0.5));
		const responseIds: string[] = [];
		for (let r = 0; r < count; r += 1) {
			const rid = respond(handle, id, pick(REPLIES), { memberId: pick(memberIds) }, new Date(at.getTime() + (r + 1) * 36e5));
			if (rid) responseIds.push(rid);
			changes += 1;
			responses += 1;
		}
		// Older posts are all settled (the board asks "still needed?" after 30 days); the last
		// two quarters are still lively.
		const settle = recent ? random() < 0.3 : true;
		if (responseIds.length && settle && (recent || random() < 0.8)) {
			accept(handle, id, responseIds[0], actor, new Date(at.getTime() + 864e5));
			changes += 1;
			if (!recent || random() < 0.85) {
				markDone(handle, id, actor, new Date(at.getTime() + 3 * 864e5));
				changes += 1;
			}
		} else if (settle && (!recent || random() < 0.5)) {
			withdrawPost(handle, id, actor, new Date(at.getTime() + 20 * 864e5));
			changes += 1;
		}
	}
	return { period: name, bytes: A.save(doc), posts: postsPer, responses, changes };
}

/** The whole board in this thread (about 100 s at ten years on one core; see generate-parallel.ts). */
export function generate(seed: number, scale: Scale = TEN_YEARS, now = BENCH_NOW): Generated {
	const periods = periodNames(scale, now).map((_, index) => generateQuarter(seed, scale, index, now));
	return assemble(seed, scale, periods, now);
}

export function assemble(seed: number, scale: Scale, periods: GeneratedPeriod[], now = BENCH_NOW): Generated {
	return {
		seed,
		scale,
		members: generateMembers(seed, scale, now),
		periods,
		counts: {
			posts: periods.reduce((n, p) => n + p.posts, 0),
			responses: periods.reduce((n, p) => n + p.responses, 0),
			changes: periods.reduce((n, p) => n + p.changes, 0)
		}
	};
}

/** Command-line arguments shared by the bench scripts. */
export function benchArgs(argv = process.argv) {
	const value = (name: string) => {
		const at = argv.indexOf(`--${name}`);
		return at >= 0 ? argv[at + 1] : undefined;
	};
	const factor = Number(value('scale') ?? 1);
	return {
		seed: Number(value('seed') ?? 20261128),
		scale: {
			posts: Math.round(TEN_YEARS.posts * factor),
			responses: Math.round(TEN_YEARS.responses * factor),
			members: TEN_YEARS.members,
			periods: TEN_YEARS.periods
		} satisfies Scale,
		workers: Number(value('workers') ?? 2),
		out: value('out'),
		data: value('data')
	};
}

