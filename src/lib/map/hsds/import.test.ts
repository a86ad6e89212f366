import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { Device, fixture, NOW, seed } from '../../../../tests/fixtures/hsds-map.ts';
import { hoursText, type HoursWords } from '../hours.ts';
import { needsReview } from '../search.ts';
import { applyImport } from './apply.ts';
import { toHsds } from './export.ts';
import { fromUuid, toUuid } from './ids.ts';
import { planHsdsImport } from './import.ts';
import type { HsdsExport } from './types.ts';

const IMPORTER = { memberId: 'jan-000000003' };

/** The records as another system keeps them; last_modified is when this map's copy last changed. */
function records(json: HsdsExport) {
	return {
		organizations: json.organizations,
		services: json.services.map(({ last_modified: _, ...rest }) => rest),
		locations: json.locations,
		service_at_locations: json.service_at_locations
	};
}

const words: HoursWords = {
	day: (d) => ({ MO: 'ma', TU: 'di', WE: 'wo', TH: 'do', FR: 'vr', SA: 'za', SU: 'zo' })[d],
	range: (a, b) => `${a} t/m ${b}`,
	nth: (n, d) => `elke ${n === 2 ? 'tweede' : n === -1 ? 'laatste' : n} ${d}`,
	time: (t) => t
};

describe('importing HSDS', () => {
	it('brings an export into an empty map without losing anything', () => {
		const { device } = seed();
		const json = toHsds(device.read(), { now: NOW });
		const copy = new Device();
		const plan = planHsdsImport(JSON.parse(JSON.stringify(json)), copy.read());
		expect(plan.refused).toEqual([]);
		expect(plan.notes).toEqual([]);
		expect(applyImport(copy, plan, IMPORTER, NOW)).toEqual({ added: 7, updated: 0 });
		expect(records(toHsds(copy.read(), { now: NOW }))).toEqual(records(json));
		const read = copy.read();
		const advies = read.services.find((s) => s.name === 'Spreekuur ouderenadviseur')!;
		expect(hoursText(advies.schedules, words)).toBe('ma t/m vr 09:00–12:00; elke tweede TU 13:00–16:00');
		expect(read.services.find((s) => s.name === 'Computerhulp')!.removed).not.toBeNull();
		// Checked when the source last checked it, not when it was imported.
		expect(advies.reviewed.at.slice(0, 10)).toBe('2025-06-02');
		expect(needsReview(advies, new Date('2026-07-01T00:00:00Z'))).toBe(true);
	});

	it('updates entries that are already on the map instead of adding them twice', () => {
		const { device, spreekuur } = seed();
		const json = toHsds(device.read(), { now: NOW });
		const again = planHsdsImport(json, device.read());
		expect([...again.organizations, ...again.locations, ...again.services].map((p) => p.action)).toEqual(Array(7).fill('unchanged'));
		expect(applyImport(device, again, IMPORTER, NOW)).toEqual({ added: 0, updated: 0 });

		const changed: HsdsExport = JSON.parse(JSON.stringify(json));
		const advies = changed.services.find((s) => s.id === toUuid(spreekuur))!;
		advies.name = 'Spreekuur ouderenadviseur (nieuw adres)';
		advies.schedules = advies.schedules.filter((s) => s.freq === 'WEEKLY');
		advies.eligibility_description = '';
		const plan = planHsdsImport(changed, device.read());
		expect(plan.services.filter((s) => s.action === 'update').map((s) => s.name)).toEqual(['Spreekuur ouderenadviseur (nieuw adres)']);
		expect(applyImport(device, plan, IMPORTER, NOW)).toEqual({ added: 0, updated: 1 });
		const read = device.read();
		expect(read.services).toHaveLength(3);
		expect(read.organizations).toHaveLength(2);
		const updated = read.services.find((s) => s.id === spreekuur)!;
		expect(updated.name).toBe('Spreekuur ouderenadviseur (nieuw adres)');
		expect(updated.schedules.map((s) => s.freq)).toEqual(['WEEKLY']);
		expect(updated.forWhom).toBe('');
		expect(updated.phones.map((p) => p.number)).toEqual(['020 123 4567']);
		expect(updated.locationIds).toHaveLength(2);
	});

	it('imports the official HSDS example and reports what the map cannot hold', () => {
		const map = new Device();
		const plan = planHsdsImport(fixture('examples/service_full.json'), map.read());
		expect(plan.organizations.map((o) => [o.name, o.action])).toEqual([['Example Organization Inc.', 'add']]);
		expect(plan.services.map((s) => [s.name, s.action])).toEqual([['Community Counselling', 'add']]);
		// The example's civic centre lies at latitude 100, which is not on Earth.
		expect(plan.refused).toEqual([expect.objectContaining({ kind: 'location', name: 'MyCity Civic Center', reason: 'bad_coordinates' })]);
		const notes = plan.notes.filter((n) => n.kind === 'service').map((n) => [n.note, n.detail]);
		expect(notes).toContainEqual(['language_dropped', 'Urdu']);
		expect(notes).toContainEqual(['schedule_dropped', expect.stringContaining('10 am to 6pm')]);
		expect(notes).toContainEqual(['link_dropped', expect.stringContaining('service_at_locations[0]')]);

		expect(applyImport(map, plan, IMPORTER, NOW)).toEqual({ added: 2, updated: 0 });
		const read = map.read();
		const counselling = read.services[0];
		expect(counselling).toMatchObject({
			name: 'Community Counselling',
			organization: read.organizations[0].id,
			forWhom: expect.stringContaining('aged 12 and over'),
			free: false,
			fees: expect.stringContaining('£50 per hour'),
			website: 'http://example.com/counselling',
			removed: null
		});
		expect(counselling.phones.map((p) => p.number)).toEqual(['+44 1234 234567']);
		expect(counselling.id).toBe(fromUuid('ac148810-d857-441c-9679-408f346de14b'));
		expect(needsReview(counselling, NOW)).toBe(true);

		// The same service in the paged list of the specification is recognised by its id.
		const list = planHsdsImport(fixture('examples/service_list.json'), read);
		expect(list.refused.filter((r) => r.kind === 'service')).toEqual([]);
		// It leaves out phones and hours, which therefore stay as they are.
		expect(list.services.map((s) => [s.name, s.action])).toEqual([['Community Counselling', 'unchanged']]);
	});

	it('reads the specification\'s tabular example (one list per CSV file) like its nested one', () => {
		const nested = planHsdsImport(fixture('examples/service_full.json'), new Device().read());
		const tabular = planHsdsImport(fixture('examples/tabular.json'), new Device().read());
		expect(tabular.organizations.map((o) => o.input)).toEqual(nested.organizations.map((o) => o.input));
		expect(tabular.services.map((s) => s.input)).toEqual(nested.services.map((s) => s.input));
		expect(tabular.refused.map((r) => [r.kind, r.reason])).toEqual([['location', 'bad_coordinates']]);
	});

	it('refuses a file that is not HSDS and leaves the map as it was', () => {
		const { device } = seed();
		const before = A.getHeads(device.doc);
		for (const garbage of ['hallo', 42, null, [1, 2], { foo: 'bar' }, { services: 'geen lijst' }, '{"services":[]}', { services: [1, 2] }]) {
			const plan = planHsdsImport(garbage, device.read());
			expect(plan.refused).toEqual([expect.objectContaining({ kind: 'file', reason: 'not_hsds' })]);
			expect(applyImport(device, plan, IMPORTER, NOW)).toEqual({ added: 0, updated: 0 });
		}
		expect(A.getHeads(device.doc)).toEqual(before);
	});

	it('imports the good records of a file and refuses the bad ones, saying which and why', () => {
		const { device, welzijn, spreekuur } = seed();
		const organization_id = toUuid(welzijn);
		const file = {
			organizations: [{ id: toUuid('f'.repeat(32)), description: 'Zonder naam' }],
			locations: [{ id: toUuid('e'.repeat(32)), location_type: 'physical', name: 'Op de Noordpool', latitude: 200, longitude: 5 }],
			services: [
				{ id: toUuid('a'.repeat(32)), name: 'Taalcafé', status: 'active', organization_id, phones: [{ id: toUuid('1'.repeat(32)), number: '06 1234 5678' }] },
				{ id: toUuid('b'.repeat(32)), name: 'Klusjesdienst', status: 'active', organization_id, phones: [{ id: toUuid('2'.repeat(32)), number: 'bel ons' }] },
				{ id: toUuid('c'.repeat(32)), name: 'Wandelgroep', status: 'active' },
				{ id: toUuid('d'.repeat(32)), name: 'Repaircafé', status: 'active', organization_id, schedules: [{ id: toUuid('3'.repeat(32)), freq: 'WEEKLY', byday: 'MA', opens_at: '10:00', closes_at: '12:00' }] },
				{ id: toUuid(spreekuur), name: '', status: 'active', organization_id }
			]
		};
		const plan = planHsdsImport(file, device.read());
		expect(plan.refused.map((r) => [r.path, r.name, r.reason])).toEqual([
			['organizations[0]', '', 'no_name'],
			['locations[0]', 'Op de Noordpool', 'bad_coordinates'],
			['services[1]', 'Klusjesdienst', 'bad_phone'],
			['services[2]', 'Wandelgroep', 'no_organization'],
			['services[3]', 'Repaircafé', 'bad_schedule'],
			['services[4]', '', 'no_name']
		]);
		expect(applyImport(device, plan, IMPORTER, NOW)).toEqual({ added: 1, updated: 0 });
		const read = device.read();
		expect(read.services.map((s) => s.name).sort()).toEqual(['Buurtmaaltijd', 'Computerhulp', 'Spreekuur ouderenadviseur', 'Taalcafé']);
		expect(read.services.find((s) => s.id === spreekuur)!.name).toBe('Spreekuur ouderenadviseur');
		expect(read.locations).toHaveLength(2);
	});

	it('refuses a file with more than 5,000 records as a whole', () => {
		const services = Array.from({ length: 5001 }, (_, i) => ({ id: toUuid(i.toString(16).padStart(32, '0')), name: `Dienst ${i}`, status: 'active' }));
		const plan = planHsdsImport({ services }, new Device().read());
		expect(plan.refused).toEqual([expect.objectContaining({ kind: 'file', reason: 'too_many' })]);
		expect(plan.services).toEqual([]);
	});
});
