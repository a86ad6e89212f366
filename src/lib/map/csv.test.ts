import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { newMapDoc } from './create.ts';
import { parseHours, planCsvImport } from './csv.ts';
import type { MapDoc } from './document.ts';
import { hoursText, type HoursWords } from './hours.ts';
import { applyImport } from './hsds/apply.ts';
import { blankService, checkService, createOrganization, createService } from './mutations.ts';
import { readMap } from './view.ts';
import { LocalDoc } from '../automerge/local-doc.ts';

const FATIMA = { memberId: 'fatima-000001' };
const NOW = new Date('2026-02-01T10:00:00Z');

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
	nth: (n, d) => `elke ${({ 1: 'eerste', 2: 'tweede', [-1]: 'laatste' } as Record<number, string>)[n] ?? n} ${({ TU: 'dinsdag', TH: 'donderdag', FR: 'vrijdag' } as Record<string, string>)[d] ?? d}`,
	time: (t) => t.replace(':', '.').replace(/^0/, '')
};

const hours = (text: string) => {
	const schedules = parseHours(text);
	return schedules && hoursText(schedules.map((s, i) => ({ ...s, id: String(i), byday: s.days })), words);
};

function seed() {
	const device = new Device();
	const welzijn = createOrganization(device, { name: 'Welzijn Lindenbuurt', description: '', email: '', website: '', phone: '' }, FATIMA);
	const checked = checkService({ ...blankService(welzijn), name: 'Spreekuur ouderenadviseur', phone: '020 123 4567', themes: ['welzijn'] });
	if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
	const spreekuur = createService(device, checked.value, FATIMA);
	return { device, welzijn, spreekuur };
}

// As Excel saves it in the Netherlands: semicolons, a byte order mark, quotes around cells with ';'.
const SHEET = [
	'\uFEFFNaam;Organisatie;Omschrijving;Voor wie;Thema;Telefoon;E-mail;Website;Adres;Postcode;Plaats;Kosten;Talen;Openingstijden;Opmerking intern',
	'Taalcafé;Bibliotheek Lindendorp;Nederlands oefenen met vrijwilligers;Nieuwkomers;ontmoeting, Taal;020-5550101;taal@bieb-linden.nl;www.bieb-linden.nl/taal;Markt 3;1234cd;Lindendorp;gratis;Nederlands, Arabisch;"ma-vr 9:00-12:00; elke 2e do 19:00-21:00";bellen na 1 maart',
	';Bibliotheek Lindendorp;Zonder naam;;;;;;;;;;;;',
	'Klusjesdienst;welzijn lindenbuurt;Kleine klussen in huis;;wonen;bel ons;;;;;;;;;',
	'Repair Café;bibliotheek lindendorp;Samen repareren;;ontmoeting;;;;Markt 3;;;€ 2 per reparatie;;zaterdagochtend;',
	';;;;;;;;;;;;;;',
	'Spreekuur ouderenadviseur;Welzijn Lindenbuurt;Hulp bij aanvragen;65+;"welzijn; geldzaken";;;;;;;gratis;;di 13.00-16.00;',
	'taalcafé;Bibliotheek Lindendorp;Nog een keer;;;;;;;;;;;;'
].join('\r\n');

describe('importing a spreadsheet of services', () => {
	it('imports the good rows and reports the bad ones with their row numbers', () => {
		const { device, welzijn, spreekuur } = seed();
		const plan = planCsvImport(SHEET, device.read());
		expect(plan.refused.map((r) => [r.row, r.name, r.reason])).toEqual([
			[3, '', 'no_name'],
			[4, 'Klusjesdienst', 'bad_phone'],
			[8, 'taalcafé', 'duplicate']
		]);
		expect(plan.notes.map((n) => [n.row, n.note, n.detail])).toEqual([
			[1, 'column_ignored', 'Opmerking intern'],
			[5, 'hours_not_read', 'zaterdagochtend']
		]);
		expect(plan.organizations.map((o) => o.name)).toEqual(['Bibliotheek Lindendorp']);
		expect(plan.locations.map((l) => l.input)).toEqual([expect.objectContaining({ name: 'Markt 3', street: 'Markt 3', postcode: '1234 CD', city: 'Lindendorp' })]);
		expect(plan.services.map((s) => [s.row, s.name, s.action])).toEqual([
			[2, 'Taalcafé', 'add'],
			[5, 'Repair Café', 'add'],
			[7, 'Spreekuur ouderenadviseur', 'update']
		]);

		expect(applyImport(device, plan, FATIMA, NOW)).toEqual({ added: 4, updated: 1 });
		const map = device.read();
		expect(map.services).toHaveLength(3);
		expect(map.organizations).toHaveLength(2);
		const byName = (name: string) => map.services.find((s) => s.name === name)!;
		const taal = byName('Taalcafé');
		expect(taal).toMatchObject({
			forWhom: 'Nieuwkomers',
			free: true,
			email: 'taal@bieb-linden.nl',
			website: 'https://www.bieb-linden.nl/taal'
		});
		expect([...taal.themes].sort()).toEqual(['Taal', 'ontmoeting']);
		expect([...taal.languages].sort()).toEqual(['ar', 'nl']);
		expect(taal.phones.map((p) => p.number)).toEqual(['020-5550101']);
		expect(hoursText(taal.schedules, words)).toBe('ma t/m vr 9.00–12.00; elke tweede donderdag 19.00–21.00');
		expect(map.themes).toContain('Taal');
		const repair = byName('Repair Café');
		expect(repair.organization).toBe(taal.organization);
		expect(repair.locationIds).toEqual(taal.locationIds);
		expect(repair).toMatchObject({ free: false, fees: '€ 2 per reparatie', schedules: [] });
		expect(repair.description).toBe('Samen repareren\n\nOpeningstijden: zaterdagochtend');
		const updated = map.services.find((s) => s.id === spreekuur)!;
		expect(updated.organization).toBe(welzijn);
		expect(updated).toMatchObject({ description: 'Hulp bij aanvragen', forWhom: '65+', free: true });
		expect([...updated.themes].sort()).toEqual(['geldzaken', 'welzijn']);
		// The row leaves the phone empty, which keeps the number already on the map.
		expect(updated.phones.map((p) => p.number)).toEqual(['020 123 4567']);
		expect(hoursText(updated.schedules, words)).toBe('di 13.00–16.00');
	});

	it('changes nothing when the same sheet is imported again', () => {
		const { device } = seed();
		applyImport(device, planCsvImport(SHEET, device.read()), FATIMA, NOW);
		const before = A.getHeads(device.doc);
		const again = planCsvImport(SHEET, device.read());
		expect([...again.organizations, ...again.locations].map((p) => p.action)).toEqual([]);
		expect(again.services.map((s) => s.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
		expect(applyImport(device, again, FATIMA, NOW)).toEqual({ added: 0, updated: 0 });
		expect(A.getHeads(device.doc)).toEqual(before);
	});

	it('reads English headers and commas', () => {
		const sheet = 'Name,Organization,Phone,Hours,Languages,Cost\nWalk-in advice,Citizens Advice,+31 20 555 0199,Mon-Fri 9-17,"English, Polish",free\n';
		const plan = planCsvImport(sheet, new Device().read());
		expect(plan.refused).toEqual([]);
		expect(plan.services[0].input).toMatchObject({
			name: 'Walk-in advice',
			phone: '+31 20 555 0199',
			languages: ['en', 'pl'],
			free: true,
			schedules: [{ freq: 'WEEKLY', days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '17:00', note: '' }]
		});
	});

	it('refuses a sheet without a name column, and rows whose hours are impossible', () => {
		const device = new Device();
		expect(planCsvImport('Organisatie;Telefoon\nWelzijn;020 123 4567', device.read()).refused).toEqual([
			expect.objectContaining({ kind: 'file', row: 1, reason: 'no_name' })
		]);
		const plan = planCsvImport('Naam;Organisatie;Openingstijden\nSpreekuur;Welzijn;ma 12:00-09:00\nInloop;Welzijn;di 9-12', device.read());
		expect(plan.refused.map((r) => [r.row, r.reason])).toEqual([[2, 'bad_schedule']]);
		expect(plan.services.map((s) => s.name)).toEqual(['Inloop']);
		expect(planCsvImport('', device.read()).refused.map((r) => r.reason)).toEqual(['no_name']);
	});
});

describe('opening hours as people type them', () => {
	it('reads days, ranges, several times and the nth weekday of the month', () => {
		expect(hours('ma t/m vr 9.00-12.00 en 13.00-16.00')).toBe('ma t/m vr 9.00–12.00; ma t/m vr 13.00–16.00');
		expect(hours('ma, wo en vr 9:30 - 11:30 uur')).toBe('ma, wo, vr 9.30–11.30');
		expect(hours('Maandag 10:00-12:00, donderdag 14:00-16:00')).toBe('ma 10.00–12.00; do 14.00–16.00');
		expect(hours('laatste vrijdag 17:30-19:30')).toBe('elke laatste vrijdag 17.30–19.30');
		expect(hours('za-zo 10–17')).toBe('za, zo 10.00–17.00');
	});

	it('leaves alone what it cannot read for certain', () => {
		expect(parseHours('zaterdagochtend')).toBeUndefined();
		expect(parseHours('op afspraak')).toBeUndefined();
		expect(parseHours('ma 9:00-12:00 behalve in de zomer')).toBeUndefined();
		expect(parseHours('1e en 3e dinsdag 10-12')).toBeUndefined();
	});
});
