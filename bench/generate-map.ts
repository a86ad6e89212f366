// A seeded social map at the size of a large municipality's sociale kaart: 800 services of 300
// organisations at 1,000 locations, with opening hours, phones and themes, written through the
// same domain mutations the app uses, and a few rounds of edits so the history is realistic.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { imm } from '../src/lib/automerge/immutable.ts';
import { WEEKDAYS } from '../src/lib/agenda/weekdays.ts';
import { newMapDoc } from '../src/lib/map/create.ts';
import { DEFAULT_THEMES, LANGUAGES, type MapDoc } from '../src/lib/map/document.ts';
import {
	blankService,
	createLocation,
	createOrganization,
	createService,
	editService,
	type MapHandle,
	type ServiceInput
} from '../src/lib/map/mutations.ts';
import { serviceInput } from '../src/lib/map/form.ts';
import { readMap } from '../src/lib/map/view.ts';
import { prng } from './generate-help.ts';

export const MAP_SIZE = { organizations: 300, services: 800, locations: 1000 };

const WORDS = ['hulp', 'advies', 'spreekuur', 'ondersteuning', 'inloop', 'begeleiding', 'informatie', 'cursus', 'ontmoeting', 'vervoer'];
const KINDS = ['Stichting', 'Vereniging', 'Coöperatie', 'Buurtteam', 'Gemeente', 'Bibliotheek', 'Huisartsenpraktijk', 'Kerk'];
const PLACES = ['Lindendorp', 'Eikenwijk', 'Berkhout', 'De Weide', 'Oosterpark'];
const STREETS = ['Lindelaan', 'Kerkstraat', 'Dorpsstraat', 'Schoolweg', 'Molenweg', 'Stationsplein', 'Marktplein'];

class Bulk implements MapHandle {
	doc: A.Doc<MapDoc>;
	constructor() {
		this.doc = A.change(A.init<MapDoc>(), (d) => Object.assign(d, newMapDoc()));
	}
	change(fn: A.ChangeFn<MapDoc>) {
		this.doc = A.change(this.doc, fn);
	}
}

export function generateMap(seed = 20261128, scale = 1): A.Doc<MapDoc> {
	const random = prng(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const bulk = new Bulk();
	const actor = { memberId: 'bench-editor-0001' };
	const start = Date.UTC(2017, 0, 1);
	const at = (i: number, n: number) => new Date(start + (i / n) * (Date.UTC(2026, 10, 1) - start));
	const size = { organizations: Math.round(MAP_SIZE.organizations * scale), services: Math.round(MAP_SIZE.services * scale), locations: Math.round(MAP_SIZE.locations * scale) };
	const organizations = Array.from({ length: size.organizations }, (_, i) =>
		createOrganization(bulk, { name: `${pick(KINDS)} ${pick(PLACES)} ${i + 1}`, description: `${pick(WORDS)} en ${pick(WORDS)} voor inwoners.`, email: '', website: '', phone: '' }, actor, at(i, size.organizations))
	);
	const locations = Array.from({ length: size.locations }, (_, i) =>
		createLocation(
			bulk,
			{
				name: `${pick(['Buurthuis', 'Wijkcentrum', 'Bibliotheek', 'Gezondheidscentrum', 'Kerkzaal'])} ${i + 1}`,
				street: `${pick(STREETS)} ${1 + Math.floor(random() * 200)}`,
				postcode: `${1000 + Math.floor(random() * 8999)} AB`,
				city: pick(PLACES),
				lat: 52.0 + random() * 0.2,
				lon: 5.0 + random() * 0.3,
				accessibility: random() < 0.5 ? 'Drempelvrij, lift aanwezig' : '',
				transport: ''
			},
			actor,
			at(i, size.locations)
		)
	);
	const services: string[] = [];
	for (let i = 0; i < size.services; i += 1) {
		const weekly = WEEKDAYS.slice(0, 5).filter(() => random() < 0.6);
		const input: ServiceInput = {
			...blankService(pick(organizations)),
			name: `${pick(WORDS)} ${pick(WORDS)} ${i + 1}`.replace(/^./, (c) => c.toUpperCase()),
			description: Array.from({ length: 3 + Math.floor(random() * 6) }, () => `Wij bieden ${pick(WORDS)} bij ${pick(WORDS)}.`).join(' '),
			forWhom: 'Voor inwoners van 65 jaar en ouder en hun mantelzorgers.',
			howToApply: 'Bel of kom langs tijdens het inloopspreekuur.',
			themes: DEFAULT_THEMES.filter(() => random() < 0.25).slice(0, 3),
			free: random() < 0.7,
			fees: '',
			languages: LANGUAGES.filter((l) => l === 'nl' || random() < 0.1),
			phone: `0${20 + Math.floor(random() * 70)} ${100 + Math.floor(random() * 899)} ${1000 + Math.floor(random() * 8999)}`,
			schedules: [
				...(weekly.length ? [{ freq: 'WEEKLY' as const, days: weekly, opensAt: '09:00', closesAt: random() < 0.5 ? '12:00' : '17:00', note: '' }] : []),
				...(random() < 0.2 ? [{ freq: 'MONTHLY' as const, days: [pick(WEEKDAYS.slice(0, 5))], nth: pick([1, 2, 3, 4, -1] as const), opensAt: '13:00', closesAt: '16:00', note: '' }] : [])
			],
			locations: Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(locations))
		};
		if (!input.free) input.fees = `€ ${(1 + random() * 20).toFixed(2).replace('.', ',')}`;
		services.push(createService(bulk, input, actor, at(i, size.services)));
	}
	// Editors keep it current: each service is edited or checked a few times over the years.
	const map = readMap([bulk.doc]);
	for (const service of map.services) {
		for (let round = 0; round < 2; round += 1) {
			const form = serviceInput(service);
			editService(bulk, service.id, { ...form, description: `${form.description} Bijgewerkt ${round + 1}.` }, actor, new Date(Date.parse(service.created.at) + (round + 1) * 90 * 86_400_000));
		}
	}
	bulk.change((d) => void (d.settings.tiles = imm('https://tile.openstreetmap.org/{z}/{x}/{y}.png')));
	return bulk.doc;
}
