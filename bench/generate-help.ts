// A seeded ten-year neighbourhood for benchmarks: members, and a help board of quarterly period
// documents written through the same domain mutations the app uses, one change per action, so
// the documents carry a realistic history.
import * as A from '@automerge/automerge/slim';
import { Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { imm, randomId } from '../src/lib/automerge/fields.ts';
import type { HelpDoc } from '../src/lib/help/document.ts';
import { accept, createPost, markDone, respond, withdrawPost, type PostInput } from '../src/lib/help/mutations.ts';
import { previousPeriod } from '../src/lib/help/periods.ts';
import type { ProfileInput } from '../src/lib/members/schema.ts';
import { DEFAULT_HELP_CATEGORIES } from '../src/lib/neighbourhood/document.ts';

export interface Scale {
	posts: number;
	responses: number;
	members: number;
	periods: number;
}

export const TEN_YEARS: Scale = { posts: 20_000, responses: 50_000, members: 400, periods: 40 };

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

export interface GeneratedMember {
	id: string;
	profile: ProfileInput;
	joinedAt: string;
}

export interface Generated {
	members: GeneratedMember[];
	periods: { period: string; doc: A.Doc<HelpDoc> }[];
	counts: { posts: number; responses: number; changes: number };
}

function quarterStart(period: string): number {
	const [year, q] = period.split('Q').map(Number);
	return Date.UTC(year, (q - 1) * 3, 1);
}

export function generate(seed: number, scale: Scale = TEN_YEARS, now = new Date('2026-11-28T12:00:00Z')): Generated {
	const random = prng(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const repo = new Repo();

	const members: GeneratedMember[] = [];
	for (let i = 0; i < scale.members; i += 1) {
		members.push({
			id: randomId(),
			profile: {
				name: `${pick(FIRST)} ${pick(LAST)}`,
				area: pick(STREETS),
				phone: random() < 0.5 ? `06 ${Math.floor(10_000_000 + random() * 89_999_999)}` : '',
				phoneVisibility: pick(['members', 'managers', 'nobody'] as const),
				helpWith: DEFAULT_HELP_CATEGORIES.filter(() => random() < 0.2),
				helpNote: ''
			},
			joinedAt: new Date(now.getTime() - random() * 10 * 365 * 864e5).toISOString()
		});
	}
	const memberIds = members.map((m) => m.id);

	const periodNames: string[] = [];
	let period = `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
	for (let i = 0; i < scale.periods; i += 1) {
		periodNames.unshift(period);
		period = previousPeriod(period);
	}

	const postsPer = Math.floor(scale.posts / scale.periods);
	const responsesPerPost = scale.responses / scale.posts;
	let changes = 1;
	let responses = 0;
	const periods: Generated['periods'] = [];
	for (const [index, name] of periodNames.entries()) {
		const handle: DocHandle<HelpDoc> = repo.create<HelpDoc>({ period: imm(name), posts: {} });
		const start = quarterStart(name);
		const span = Math.min(quarterStart(previousPeriod(name)) + 2 * (quarterStart(name) - quarterStart(previousPeriod(name))), now.getTime()) - start;
		const recent = index >= periodNames.length - 2;
		for (let p = 0; p < postsPer; p += 1) {
			const category = pick(DEFAULT_HELP_CATEGORIES);
			const at = new Date(start + (p / postsPer) * Math.max(span, 864e5));
			const input: PostInput = {
				kind: random() < 0.7 ? 'request' : 'offer',
				category,
				title: pick(TITLES[category]),
				description: `${pick(TITLES[category])}. Graag ${pick(['in de ochtend', 'na de lunch', 'in het weekend', 'wanneer het u uitkomt'])}, ${pick(STREETS)}.`,
				whenKind: 'flexible',
				from: '',
				to: '',
				where: pick(STREETS),
				contact: pick(['noaber', 'phone', 'manager'] as const)
			};
			const author = pick(memberIds);
			const id = createPost(handle, input, { memberId: author }, at);
			changes += 1;
			const count = Math.floor(responsesPerPost + (random() - 0.5) * 2 + 0.5);
			const responseIds: string[] = [];
			for (let r = 0; r < count; r += 1) {
				const rid = respond(handle, id, pick(['Ik kan helpen!', 'Graag, ik heb tijd.', 'Ik woon om de hoek.']), { memberId: pick(memberIds) }, new Date(at.getTime() + (r + 1) * 36e5));
				if (rid) responseIds.push(rid);
				changes += 1;
				responses += 1;
			}
			// Older posts are all settled (the board asks "still needed?" after 30 days); the last
			// two quarters are still lively.
			const settle = recent ? random() < 0.3 : true;
			if (responseIds.length && settle && (recent || random() < 0.8)) {
				accept(handle, id, responseIds[0], { memberId: author }, new Date(at.getTime() + 864e5));
				changes += 1;
				if (!recent || random() < 0.85) {
					markDone(handle, id, { memberId: author }, new Date(at.getTime() + 3 * 864e5));
					changes += 1;
				}
			} else if (settle && (!recent || random() < 0.5)) {
				withdrawPost(handle, id, { memberId: author }, new Date(at.getTime() + 20 * 864e5));
				changes += 1;
			}
		}
		periods.push({ period: name, doc: handle.doc() });
	}
	return { members, periods, counts: { posts: postsPer * scale.periods, responses, changes } };
}
