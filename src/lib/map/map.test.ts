import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { wallAt } from '../agenda/time.ts';
import type { MapDoc } from './document.ts';
import { newMapDoc } from './create.ts';
import { hoursText, isOpenAt, type HoursWords } from './hours.ts';
import {
	addTheme,
	blankService,
	checkService,
	createLocation,
	createOrganization,
	createService,
	editService,
	removeItem,
	removeTheme,
	restoreItem,
	reviewService,
	type ServiceInput
} from './mutations.ts';
import { byDistance, byTheme, filterServices, needsReview } from './search.ts';
import { combineMaps, readMap } from './view.ts';
import { serviceInput } from './form.ts';
import { suggestServices } from './suggest.ts';
import { LocalDoc } from '../automerge/local-doc.ts';

const FATIMA = { memberId: 'fatima-000001' };
const VERA = { memberId: 'vera-00000002' };

class Device extends LocalDoc<MapDoc> {
	constructor() {
		super(newMapDoc());
	}
	read() {
		return readMap([this.doc]);
	}
}

const words: HoursWords = {
	day: (d) => ({ MO: 'ma', TU: 'di', WE: 'wo', TH: 'do', FR: 'vr', SA: 'za', SU: 'zo' })[d],
	range: (a, b) => `${a} t/m ${b}`,
	nth: (n, d) => `elke ${n === 2 ? 'tweede' : n} ${d === 'TU' ? 'dinsdag' : d}`,
	time: (t) => t.replace(':', '.').replace(/^0/, '')
};

function service(changes: Partial<ServiceInput>): ServiceInput {
	const checked = checkService({ ...blankService(), ...changes });
	if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
	return checked.value;
}

function seed() {
	const device = new Device();
	const org = createOrganization(device, { name: 'Welzijn Lindenbuurt', description: '', email: '', website: '', phone: '' }, FATIMA);
	const centre = createLocation(device, { name: 'Buurthuis De Linde', street: 'Lindelaan 4', postcode: '1234ab', city: 'Lindendorp', lat: 52.1, lon: 5.1, accessibility: 'Drempelvrij', transport: '' }, FATIMA);
	const far = createLocation(device, { name: 'Stadskantoor', street: 'Markt 1', postcode: '', city: 'Lindendorp', lat: 52.2, lon: 5.3, accessibility: '', transport: '' }, FATIMA);
	const spreekuur = createService(
		device,
		service({
			name: 'Spreekuur ouderenadviseur',
			organization: org,
			description: 'Hulp bij aanvragen, zorg en geldzaken.',
			themes: ['welzijn', 'geldzaken'],
			schedules: [
				{ freq: 'WEEKLY', days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '12:00', note: '' },
				{ freq: 'MONTHLY', days: ['TU'], nth: 2, opensAt: '13:00', closesAt: '16:00', note: '' }
			],
			phone: '020 123 4567',
			locations: [centre]
		}),
		FATIMA,
		new Date('2025-01-10T10:00:00Z')
	);
	const vervoer = createService(
		device,
		service({ name: 'Automaatje', organization: org, description: 'Vrijwilligers rijden naar het ziekenhuis.', themes: ['vervoer'], free: false, fees: '€ 0,35 per km', languages: ['nl', 'tr'], locations: [far] }),
		VERA
	);
	return { device, org, centre, far, spreekuur, vervoer };
}

describe('a theme by a name Automerge cannot keep', () => {
	it('is left out of the service, which is stored with its other themes, also when edited', () => {
		const device = new Device();
		const org = createOrganization(device, { name: 'Welzijn', description: '', email: '', website: '', phone: '' }, FATIMA);
		const id = createService(device, service({ name: 'Spreekuur', organization: org, themes: ['__proto__', 'welzijn'] }), FATIMA);
		expect(device.read().services.find((s) => s.id === id)?.themes).toEqual(['welzijn']);
		editService(device, id, service({ name: 'Spreekuur', organization: org, themes: ['vervoer', '__proto__'] }), FATIMA);
		expect(device.read().services.find((s) => s.id === id)?.themes).toEqual(['vervoer']);
	});
});

describe('opening hours', () => {
	it('read the way people say them and know when a service is open, in winter and summer time', () => {
		const { device, spreekuur } = seed();
		const s = device.read().services.find((x) => x.id === spreekuur)!;
		expect(hoursText(s.schedules, words)).toBe('ma t/m vr 9.00–12.00; elke tweede dinsdag 13.00–16.00');
		const at = (iso: string) => wallAt(new Date(iso), 'Europe/Amsterdam');
		// 09.30 in Amsterdam is 08.30 UTC in winter and 07.30 UTC in summer.
		expect(isOpenAt(s.schedules, at('2026-03-27T08:30:00Z'))).toBe(true);
		expect(isOpenAt(s.schedules, at('2026-03-30T07:30:00Z'))).toBe(true);
		expect(isOpenAt(s.schedules, at('2026-03-30T06:30:00Z'))).toBe(false);
		expect(isOpenAt(s.schedules, at('2026-03-28T08:30:00Z'))).toBe(false);
		// The second Tuesday afternoon, and not the third.
		expect(isOpenAt(s.schedules, '2026-04-14T14:00')).toBe(true);
		expect(isOpenAt(s.schedules, '2026-04-21T14:00')).toBe(false);
	});
});

describe('finding a service', () => {
	it('searches without accents or case, filters by theme, cost, language and open now', () => {
		const { device, spreekuur, vervoer } = seed();
		const map = device.read();
		expect(filterServices(map, { query: 'ZIEKENHUIS' }).map((s) => s.id)).toEqual([vervoer]);
		expect(filterServices(map, { query: 'welzijn' }).map((s) => s.id).sort()).toEqual([spreekuur, vervoer].sort());
		expect(filterServices(map, { theme: 'geldzaken' }).map((s) => s.id)).toEqual([spreekuur]);
		expect(filterServices(map, { free: true }).map((s) => s.id)).toEqual([spreekuur]);
		expect(filterServices(map, { language: 'tr' }).map((s) => s.id)).toEqual([vervoer]);
		expect(filterServices(map, { openAt: '2026-04-14T14:00' }).map((s) => s.id)).toEqual([spreekuur]);
		expect(byTheme(map.services, map.themes).map((g) => g.theme)).toEqual(['welzijn', 'vervoer', 'geldzaken']);
	});

	it('lists the nearest first when there is no map', () => {
		const { device, spreekuur, vervoer } = seed();
		const map = device.read();
		const list = byDistance(map.services, map.locations, { lat: 52.21, lon: 5.31 });
		expect(list.map((p) => p.service.id)).toEqual([vervoer, spreekuur]);
		expect(list[0].km).toBeLessThan(2);
	});
});

describe('keeping it current', () => {
	it('puts a removed theme back where it stood when the removal is undone', () => {
		const device = new Device();
		const before = device.read().themes;
		const at = removeTheme(device, before[2]);
		expect(at).toBe(2);
		expect(device.read().themes).not.toContain(before[2]);
		addTheme(device, before[2], at);
		expect(device.read().themes).toEqual(before);
		expect(removeTheme(device, 'bestaat-niet')).toBe(-1);
	});

	it('flags entries not checked for a year, until someone checks them', () => {
		const { device, spreekuur } = seed();
		const now = new Date('2026-03-01T10:00:00Z');
		expect(needsReview(device.read().services.find((s) => s.id === spreekuur)!, now)).toBe(true);
		reviewService(device, spreekuur, VERA, now);
		const s = device.read().services.find((x) => x.id === spreekuur)!;
		expect(needsReview(s, now)).toBe(false);
		expect(s.reviewed).toMatchObject({ by: VERA.memberId, at: now.toISOString() });
	});

	it('merges two editors changing different fields, records who changed what, and never deletes', () => {
		const { device, spreekuur } = seed();
		const other = device.fork();
		const current = device.read().services.find((s) => s.id === spreekuur)!;
		const form = (s: typeof current): ServiceInput => ({
			...blankService(s.organization),
			name: s.name,
			description: s.description,
			themes: s.themes,
			free: s.free,
			languages: s.languages as ServiceInput['languages'],
			phone: s.phones[0]?.number ?? '',
			schedules: s.schedules.map((x) => ({ freq: x.freq, days: x.byday as ServiceInput['schedules'][number]['days'], nth: x.nth, opensAt: x.opensAt, closesAt: x.closesAt, note: x.note })),
			locations: s.locationIds
		});
		expect(editService(device, spreekuur, { ...form(current), howToApply: 'Bel of kom langs.' }, FATIMA)).toEqual(['howToApply']);
		expect(editService(other, spreekuur, { ...form(current), description: `${current.description} Ook thuis.` }, VERA)).toEqual(['description']);
		expect(editService(other, spreekuur, form({ ...current, description: `${current.description} Ook thuis.` }), VERA)).toEqual([]);
		device.merge(other);
		const merged = device.read().services.find((s) => s.id === spreekuur)!;
		expect(merged.howToApply).toBe('Bel of kom langs.');
		expect(merged.description).toContain('Ook thuis.');
		removeItem(device, 'service', spreekuur, 'Gestopt', FATIMA);
		expect(filterServices(device.read(), {}).some((s) => s.id === spreekuur)).toBe(false);
		restoreItem(device, 'service', spreekuur, FATIMA);
		expect(filterServices(device.read(), {}).some((s) => s.id === spreekuur)).toBe(true);
		const log = Object.values(device.doc.changes).map((c) => JSON.parse(String(c)) as { action: string; by: string });
		expect(log.filter((c) => c.action === 'edited').map((c) => c.by).sort()).toEqual([FATIMA.memberId, VERA.memberId].sort());
		expect(log.some((c) => c.action === 'removed')).toBe(true);
	});

	it('skips and counts entries from a broken peer', () => {
		const { device } = seed();
		device.change((d) => {
			(d.services as Record<string, unknown>).broken = { id: imm('broken'), name: 7 };
		});
		const read = device.read();
		expect(read.services).toHaveLength(2);
		expect(read.skipped).toBe(1);
	});

	it('explains form errors', () => {
		const result = checkService({ ...blankService(), schedules: [{ freq: 'WEEKLY', days: [], opensAt: '12:00', closesAt: '09:00', note: '' }], phone: 'abc', website: 'nope' });
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors).toMatchObject({ name: 'required', organization: 'required', phone: 'phone', website: 'website' });
			expect(result.errors['schedules.0.days']).toBe('required');
		}
	});
});

describe('from the other modules', () => {
	it('suggests a matching service for a help request', () => {
		const { device, vervoer } = seed();
		const map = device.read();
		const found = suggestServices(map, { category: 'vervoer', title: 'Wie brengt mij naar het ziekenhuis?', description: '' });
		expect(found.map((s) => s.id)).toEqual([vervoer]);
		expect(suggestServices(map, { category: 'tuin', title: 'Heg snoeien', description: '' })).toEqual([]);
	});
});

describe('a form saved after someone else changed the text', () => {
	it('keeps both, because it is saved as of when it was opened', () => {
		const { device, spreekuur } = seed();
		const opened = device.read().services.find((s) => s.id === spreekuur)!;
		const base = A.getHeads(device.doc);
		// Meanwhile Vera, on her device, adds a sentence, and it reaches this one.
		const vera = device.fork();
		editService(vera, spreekuur, { ...serviceInput(opened), description: `${opened.description} Ook aan huis.` }, VERA);
		device.merge(vera);
		// Then Fatima saves the form she opened earlier, with her own change.
		editService(device, spreekuur, { ...serviceInput(opened), description: `Gratis. ${opened.description}` }, FATIMA, new Date(), base);
		const after = device.read().services.find((s) => s.id === spreekuur)!;
		expect(after.description).toBe(`Gratis. ${opened.description} Ook aan huis.`);
		// Without the base, the older form would have removed Vera's sentence.
		const stale = device.fork();
		editService(stale, spreekuur, { ...serviceInput(opened), description: `Gratis. ${opened.description}` }, FATIMA);
		expect(stale.read().services.find((s) => s.id === spreekuur)!.description).not.toContain('Ook aan huis.');
	});
});

describe('links written by a peer', () => {
	it('shows a service or organisation website only when it is a web, e-mail or phone link', () => {
		const { device, org, spreekuur, vervoer } = seed();
		// The form only takes http(s) addresses; another app, or a member's script, writes anything.
		device.change((d) => {
			d.services[spreekuur].website = imm('javascript:alert(document.cookie)');
			d.organizations[org].website = imm('data:text/html,<script>alert(1)</script>');
			d.services[vervoer].website = imm('https://www.automaatje.nl');
		});
		const read = device.read();
		expect(read.services.find((s) => s.id === spreekuur)?.website).toBe('');
		expect(read.organizations.find((o) => o.id === org)?.website).toBe('');
		expect(read.services.find((s) => s.id === vervoer)?.website).toBe('https://www.automaatje.nl');
		// The service itself still shows.
		expect(read.skipped).toBe(0);
	});
});

describe('a map centre written by a peer', () => {
	it('is no centre unless it is a real place: NaN or a huge number would stop the map from drawing', () => {
		for (const centre of [{ lat: NaN, lon: 5 }, { lat: 52, lon: Infinity }, { lat: 91, lon: 5 }, { lat: '52', lon: 5 }, [52, 5]]) {
			const device = new Device();
			device.change((d) => void ((d.settings as unknown as Record<string, unknown>).centre = centre));
			expect(device.read().centre, JSON.stringify(centre)).toBeNull();
		}
		const device = new Device();
		device.change((d) => void ((d.settings as unknown as Record<string, unknown>).centre = { lat: 52.09, lon: 5.12 }));
		expect(device.read().centre).toEqual({ lat: 52.09, lon: 5.12 });
	});
});

describe('two map documents', () => {
	it('read as they come, one combined into the other, are what reading both at once gives', () => {
		const { device } = seed();
		const other = new Device();
		createOrganization(other, { name: 'Buurtzorg Oost', description: '', email: '', website: '', phone: '' }, VERA);
		const both = readMap([device.doc, other.doc]);
		expect(combineMaps([device.read(), other.read()])).toEqual(both);
		expect(combineMaps([combineMaps([device.read()]), other.read()])).toEqual(both);
		expect(both.organizations.map((o) => o.name)).toEqual(['Welzijn Lindenbuurt', 'Buurtzorg Oost']);
		expect(both.services).toHaveLength(2);
	});
});
