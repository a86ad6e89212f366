import { describe, expect, it } from 'vitest';
import * as A from '@automerge/automerge';
import { imm } from '../automerge/immutable.ts';
import type { Role } from '../access/roles.ts';
import { judgeBetween } from '../rules/between.ts';
import type { Who } from '../rules/judge.ts';
import { RefereeCopy, RefereedDoc } from '../rules/refereed-doc.ts';
import { newMapDoc } from './create.ts';
import { planCsvImport } from './csv.ts';
import type { MapDoc } from './document.ts';
import { applyImport } from './hsds/apply.ts';
import {
	addTheme,
	blankLocation,
	blankOrganization,
	blankService,
	createLocation,
	createOrganization,
	createService,
	editLocation,
	editOrganization,
	editService,
	removeItem,
	removeTheme,
	restoreItem,
	reviewService,
	setMapSettings,
	type ServiceInput
} from './mutations.ts';
import { mapRules, mayChangeMapSettings, mayEditMap } from './rules.ts';
import { readMap } from './view.ts';

const who = (member: string, roles: Role[] = [], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const BEN = who('ben-0000-00002');
const MAPPER = who('fatima-000001', ['map']);
const AGENDA = who('edith-000-0003', ['agenda']);
const MANAGER = who('manon-000-0004', ['manager']);
const CARER = who('carl-0000-0006', ['intermediary'], ['greta-000-0005']);

const fresh = () => A.change(A.init<MapDoc>(), (d) => void Object.assign(d, newMapDoc()));
const as = (person: Who, doc: A.Doc<MapDoc>) => new RefereedDoc(mapRules, person, doc);
const rules = (device: RefereedDoc<MapDoc>) => device.refused.map((r) => r.rule);
const actor = (person: Who) => ({ memberId: person.member });

function service(organization: string, location: string, changes: Partial<ServiceInput> = {}): ServiceInput {
	return {
		...blankService(organization),
		name: 'Spreekuur ouderenadviseur',
		description: 'Advies over zorg en welzijn',
		themes: ['welzijn'],
		languages: ['nl', 'en'],
		phone: '020 123 4567',
		schedules: [{ freq: 'WEEKLY', days: ['MO', 'WE'], opensAt: '09:00', closesAt: '12:00', note: '' }],
		locations: [location],
		...changes
	};
}

/** A map with an organisation, a location and a service, made by a map editor. */
function seeded() {
	const device = as(MAPPER, fresh());
	const org = createOrganization(device, { ...blankOrganization(), name: 'Welzijn Lindenbuurt' }, actor(MAPPER));
	const place = createLocation(device, { ...blankLocation(), name: 'Buurthuis', street: 'Lindenlaan 1', lat: 52.1, lon: 5.1 }, actor(MAPPER));
	const svc = createService(device, service(org, place), actor(MAPPER));
	expect(device.refused).toEqual([]);
	return { doc: device.current, org, place, svc };
}

describe('the social map', () => {
	it('is made by a map editor or a manager with a new neighbourhood, not by a plain member', () => {
		for (const person of [MAPPER, MANAGER]) expect(judgeBetween(mapRules, A.init<MapDoc>(), fresh(), person).refused).toEqual([]);
		expect(judgeBetween(mapRules, A.init<MapDoc>(), fresh(), BEN).refused.map((r) => r.rule)).toEqual(['map.editor']);
	});

	it('lets map editors and managers do everything the map pages offer them', () => {
		for (const person of [MAPPER, MANAGER]) {
			const { doc, org, place, svc } = seeded();
			const device = as(person, doc);
			const heads = A.getHeads(device.current);
			editOrganization(device, org, { ...blankOrganization(), name: 'Welzijn De Linde', description: 'Voor iedereen' }, actor(person), new Date(), heads);
			editLocation(device, place, { ...blankLocation(), name: 'Buurthuis', street: 'Lindenlaan 3' }, actor(person));
			const other = createLocation(device, { ...blankLocation(), name: 'Bibliotheek' }, actor(person));
			editService(
				device,
				svc,
				service(org, other, { themes: ['zorg'], languages: ['nl'], phone: '', schedules: [{ freq: 'MONTHLY', days: ['TU'], nth: 2, opensAt: '14:00', closesAt: '16:00', note: 'Even weken' }] }),
				actor(person)
			);
			reviewService(device, svc, actor(person));
			removeItem(device, 'service', svc, 'Gestopt', actor(person));
			restoreItem(device, 'service', svc, actor(person));
			removeItem(device, 'location', place, 'Gesloten', actor(person));
			addTheme(device, 'Vrijwilligerswerk');
			removeTheme(device, 'Vrijwilligerswerk');
			expect(device.refused).toEqual([]);
			expect(readMap([device.current]).services[0]).toMatchObject({ themes: ['zorg'], removed: null });
			expect(mayEditMap(person)).toBe(true);
		}
	});

	it('lets a map editor import a spreadsheet, themes and all', () => {
		const { doc } = seeded();
		const device = as(MAPPER, doc);
		const sheet = 'Naam;Organisatie;Telefoon;Openingstijden;Thema\nInloop;Welzijn Lindenbuurt;020 765 4321;di 9-12;Mantelzorg\nKlusdienst;Buurtwerk;;;Wonen';
		const result = applyImport(device, planCsvImport(sheet, readMap([doc])), actor(MAPPER));
		expect(result.added).toBeGreaterThan(0);
		expect(device.refused).toEqual([]);
	});

	it('refuses every change by a member without the map role, whatever else they may do', () => {
		const { doc, org, svc } = seeded();
		for (const person of [BEN, AGENDA, CARER]) {
			const device = as(person, doc);
			reviewService(device, svc, actor(person));
			createOrganization(device, { ...blankOrganization(), name: 'Nep' }, actor(person));
			editOrganization(device, org, { ...blankOrganization(), name: 'Gekaapt' }, actor(person));
			removeItem(device, 'service', svc, 'Weg ermee', actor(person));
			addTheme(device, 'Reclame');
			expect(new Set(rules(device))).toEqual(new Set(['map.editor']));
			expect(device.refused).toHaveLength(5);
			expect(mayEditMap(person)).toBe(false);
		}
	});

	it('lets only managers change where the map centres and its tiles', () => {
		const { doc } = seeded();
		const settings = { centre: { lat: 52.09, lon: 5.12 }, tiles: 'https://tiles.example.org/{z}/{x}/{y}.png' };
		const manager = as(MANAGER, doc);
		setMapSettings(manager, settings);
		expect(manager.refused).toEqual([]);
		const mapper = as(MAPPER, doc);
		setMapSettings(mapper, settings);
		expect(new Set(rules(mapper))).toEqual(new Set(['map.settings']));
		expect([mayChangeMapSettings(MANAGER), mayChangeMapSettings(MAPPER)]).toEqual([true, false]);
	});
});

describe('what the relay receives at once', () => {
	it('takes a map editor’s afternoon offline in one message: new entries, edited, checked, removed and back', () => {
		const { doc } = seeded();
		const relay = new RefereeCopy(mapRules, A.clone(doc));
		const device = as(MAPPER, A.clone(doc));
		const org = createOrganization(device, { ...blankOrganization(), name: 'Mantelzorg Lindenbuurt' }, actor(MAPPER));
		const place = createLocation(device, { ...blankLocation(), name: 'Wijkcentrum', street: 'Eikenlaan 2' }, actor(MAPPER));
		const svc = createService(device, service(org, place, { name: 'Mantelzorgcafé' }), actor(MAPPER));
		editOrganization(device, org, { ...blankOrganization(), name: 'Steunpunt Mantelzorg' }, actor(MAPPER));
		editLocation(device, place, { ...blankLocation(), name: 'Wijkcentrum De Eik', street: 'Eikenlaan 2' }, actor(MAPPER));
		editService(device, svc, service(org, place, { name: 'Mantelzorgcafé De Eik' }), actor(MAPPER));
		reviewService(device, svc, actor(MAPPER));
		removeItem(device, 'service', svc, 'Even dicht', actor(MAPPER));
		restoreItem(device, 'service', svc, actor(MAPPER));
		addTheme(device, 'Mantelzorg');
		expect(device.refused).toEqual([]);
		expect(relay.receive(device.current, MAPPER)).toEqual([]);
		const map = readMap([relay.doc]);
		expect(map.services.find((s) => s.id === svc)).toMatchObject({ name: 'Mantelzorgcafé De Eik', removed: null });
		expect(map.organizations.find((o) => o.id === org)?.name).toBe('Steunpunt Mantelzorg');
	});

	it('refuses what a member without the map role sent along, and keeps the editor’s changes of the same afternoon', () => {
		const { doc, svc } = seeded();
		const relay = new RefereeCopy(mapRules, A.clone(doc));
		const editor = as(MAPPER, A.clone(doc));
		reviewService(editor, svc, actor(MAPPER));
		expect(relay.receive(editor.current, MAPPER)).toEqual([]);
		const ben = as(BEN, A.clone(relay.doc));
		createOrganization(ben, { ...blankOrganization(), name: 'Nep' }, actor(BEN));
		removeItem(ben, 'service', svc, 'Weg ermee', actor(BEN));
		// His second change is built on his first: it goes with it.
		expect(relay.receive(ben.current, BEN).map((r) => r.rule)).toEqual(['map.editor', 'depends-on-refused']);
		expect(readMap([relay.doc]).services.find((s) => s.id === svc)).toMatchObject({ removed: null });
		expect(readMap([relay.doc]).organizations.map((o) => o.name)).not.toContain('Nep');
	});
});

describe('hostile changes to the map', () => {
	it('refuses deleting every key, even by a manager', () => {
		const { doc } = seeded();
		const device = as(MANAGER, doc);
		device.change((d) => {
			for (const key of Object.keys(d)) delete (d as unknown as Record<string, unknown>)[key];
		});
		expect(rules(device)).toEqual(['map.no-delete']);
	});

	it('refuses deleting or replacing an entry, a collection or a line of the change log', () => {
		const { doc, org, svc, place } = seeded();
		const line = Object.keys(doc.changes)[0];
		const cases: [(d: MapDoc) => void, string][] = [
			[(d) => delete d.services[svc], 'map.no-delete'],
			[(d) => delete d.organizations[org], 'map.no-delete'],
			[(d) => delete (d.locations[place] as unknown as Record<string, unknown>).name, 'map.no-delete'],
			[(d) => void (d.services = {}), 'map.no-replace'],
			[(d) => void (d.organizations[org] = { ...JSON.parse(JSON.stringify(d.organizations[org])), name: imm('Nep') }), 'map.no-replace'],
			[(d) => delete d.changes[line], 'map.no-delete'],
			[(d) => void (d.changes[line] = imm('{}')), 'map.no-replace'],
			[(d) => void (d.services[svc].created = { by: imm(MAPPER.member), at: imm('2020-01-01T00:00:00.000Z') }), 'map.made-once'],
			[(d) => void ((d.services[svc] as unknown as Record<string, unknown>).extra = 1), 'map.shape'],
			[(d) => void (d.services[svc].reviewed = { by: imm(BEN.member), at: imm('2026-01-01T00:00:00.000Z') }), 'map.stamp']
		];
		for (const [fn, rule] of cases) {
			const device = as(MANAGER, doc);
			device.change(fn);
			expect(rules(device)).toEqual([rule]);
		}
	});
});
