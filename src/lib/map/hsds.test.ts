import { readdirSync, readFileSync } from 'node:fs';
import * as A from '@automerge/automerge/slim';
import { isImmutableString } from '@automerge/automerge/slim';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { newMapDoc } from './create.ts';
import type { MapDoc } from './document.ts';
import { hoursText, type HoursWords } from './hours.ts';
import { applyImport, fromUuid, planHsdsImport, toHsds, toUuid, type HsdsExport } from './hsds.ts';
import {
	blankService,
	checkService,
	createLocation,
	createOrganization,
	createService,
	removeItem,
	type ServiceInput
} from './mutations.ts';
import { needsReview } from './search.ts';
import { readMap } from './view.ts';
import { LocalDoc } from '../automerge/local-doc.ts';

const FATIMA = { memberId: 'fatima-000001' };
const IMPORTER = { memberId: 'jan-000000003' };
const NOW = new Date('2026-02-01T10:00:00Z');

class Device extends LocalDoc<MapDoc> {
	constructor() {
		super(newMapDoc());
	}
	read() {
		return readMap([this.doc]);
	}
}

const fixtures = new URL('../../../tests/fixtures/hsds-3.0/', import.meta.url);
const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(path, fixtures), 'utf8'));

// The HSDS schemas carry Frictionless data-package annotations next to JSON Schema; they are
// declared so that strict mode still catches anything else. `tabular_required` lists the links a
// flat table needs (a service's organization_id), which this export is, so it is enforced.
const ajv = new Ajv2020({ allErrors: true });
ajv.addVocabulary(['name', 'path', 'datapackage_metadata', 'constraints', 'core', 'example', 'datapackage_type']);
ajv.addKeyword({ keyword: 'tabular_required', schemaType: 'array', macro: (fields: string[]) => ({ required: fields }) });
addFormats(ajv);
for (const file of readdirSync(new URL('schema/', fixtures)).filter((f) => f.endsWith('.json'))) {
	ajv.addSchema(fixture(`schema/${file}`) as object, file);
}

function errors(schema: string, record: unknown): string[] {
	const validate = ajv.getSchema(schema);
	if (!validate) throw new Error(`no schema ${schema}`);
	return validate(record) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

function invalidRecords(json: HsdsExport): string[] {
	const tables: [keyof HsdsExport, string][] = [
		['organizations', 'organization.json'],
		['services', 'service.json'],
		['locations', 'location.json'],
		['service_at_locations', 'service_at_location.json']
	];
	return tables.flatMap(([table, schema]) =>
		(json[table] as unknown[]).flatMap((record, i) => errors(schema, record).map((e) => `${table}[${i}]${e}`))
	);
}

function service(changes: Partial<ServiceInput>): ServiceInput {
	const checked = checkService({ ...blankService(), ...changes });
	if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
	return checked.value;
}

function seed() {
	const device = new Device();
	const at = new Date('2025-06-02T09:00:00Z');
	const welzijn = createOrganization(
		device,
		{ name: 'Welzijn Lindenbuurt', description: 'Welzijnswerk in de wijk.', email: 'info@welzijn-linden.nl', website: 'https://welzijn-linden.nl', phone: '020 555 0101' },
		FATIMA,
		at
	);
	const kerk = createOrganization(device, { name: 'Diaconie De Akker', description: '', email: '', website: '', phone: '' }, FATIMA, at);
	const linde = createLocation(
		device,
		{ name: 'Buurthuis De Linde', street: 'Lindelaan 4', postcode: '1234ab', city: 'Lindendorp', lat: 52.1, lon: 5.1, accessibility: 'Drempelvrij, invalidentoilet', transport: 'Bus 12, halte Lindeplein' },
		FATIMA,
		at
	);
	const akker = createLocation(device, { name: 'Kerkzaal De Akker', street: 'Akkerweg 1', postcode: '', city: 'Lindendorp', accessibility: '', transport: '' }, FATIMA, at);
	const spreekuur = createService(
		device,
		service({
			name: 'Spreekuur ouderenadviseur',
			organization: welzijn,
			description: 'Hulp bij aanvragen, zorg en geldzaken.',
			forWhom: 'Inwoners van 65 jaar en ouder',
			howToApply: 'Kom langs, of bel eerst.',
			themes: ['welzijn', 'geldzaken'],
			languages: ['nl', 'tr'],
			schedules: [
				{ freq: 'WEEKLY', days: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '12:00', note: '' },
				{ freq: 'MONTHLY', days: ['TU'], nth: 2, opensAt: '13:00', closesAt: '16:00', note: 'Met tolk Turks' }
			],
			phone: '020 123 4567',
			phoneNote: 'Alleen in de ochtend',
			email: 'advies@welzijn-linden.nl',
			accessibility: 'Huisbezoek mogelijk',
			locations: [linde, akker]
		}),
		FATIMA,
		at
	);
	const maaltijd = createService(
		device,
		service({
			name: 'Buurtmaaltijd',
			organization: kerk,
			description: 'Samen eten.',
			themes: ['ontmoeting'],
			free: false,
			fees: '€ 5 per maaltijd',
			schedules: [{ freq: 'MONTHLY', days: ['FR'], nth: -1, opensAt: '17:30', closesAt: '19:30', note: '' }],
			website: 'https://deakker.nl/maaltijd',
			locations: [akker]
		}),
		FATIMA,
		at
	);
	const gestopt = createService(device, service({ name: 'Computerhulp', organization: welzijn, themes: ['digitale-hulp'] }), FATIMA, at);
	removeItem(device, 'service', gestopt, 'Gestopt', FATIMA, at);
	return { device, welzijn, kerk, linde, akker, spreekuur, maaltijd, gestopt };
}

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

describe('exporting the social map as HSDS 3.0', () => {
	it('writes every record so that it validates against the HSDS schemas', () => {
		const { device } = seed();
		const json = toHsds(device.read(), { now: NOW });
		expect(json.organizations).toHaveLength(2);
		expect(json.services).toHaveLength(3);
		expect(json.locations).toHaveLength(2);
		expect(json.service_at_locations).toHaveLength(3);
		expect(invalidRecords(json)).toEqual([]);
	});

	it('is checked by a validator that rejects what HSDS does not allow', () => {
		const { device } = seed();
		const json = toHsds(device.read(), { now: NOW });
		const { status: _, ...withoutStatus } = json.services[0];
		expect(errors('service.json', withoutStatus)).not.toEqual([]);
		expect(errors('service.json', { ...json.services[0], email: '' })).not.toEqual([]);
		expect(errors('service.json', { ...json.services[0], organization_id: 'welzijn' })).not.toEqual([]);
		expect(errors('location.json', { ...json.locations[0], location_type: 'building' })).not.toEqual([]);
	});

	it('writes hours as RFC 5545 parts, themes as taxonomy terms, and a removed service as inactive', () => {
		const { device, spreekuur, maaltijd, gestopt, linde } = seed();
		const json = toHsds(device.read(), { now: NOW });
		const find = (id: string) => json.services.find((s) => s.id === toUuid(id))!;
		const advies = find(spreekuur);
		expect(advies.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(fromUuid(advies.id)).toBe(spreekuur);
		expect(advies.schedules.map((s) => [s.freq, s.byday, s.opens_at, s.closes_at, s.notes])).toEqual([
			['MONTHLY', '2TU', '13:00:00', '16:00:00', 'Met tolk Turks'],
			['WEEKLY', 'MO,TU,WE,TH,FR', '09:00:00', '12:00:00', undefined]
		]);
		expect(find(maaltijd).schedules[0].byday).toBe('-1FR');
		expect(advies.phones).toEqual([expect.objectContaining({ number: '020 123 4567', description: 'Alleen in de ochtend' })]);
		expect(advies.eligibility_description).toBe('Inwoners van 65 jaar en ouder');
		expect(advies.application_process).toBe('Kom langs, of bel eerst.');
		expect(advies.assured_date).toBe('2025-06-02');
		expect(advies.languages.map((l) => [l.code, l.name])).toEqual([
			['nl', 'Nederlands'],
			['tr', 'Turks']
		]);
		expect(advies.attributes.filter((a) => a.taxonomy_term.taxonomy === 'noaber-themes').map((a) => a.taxonomy_term.code)).toEqual(['geldzaken', 'welzijn']);
		expect(advies.cost_options).toEqual([expect.objectContaining({ amount: 0 })]);
		expect(find(maaltijd)).toMatchObject({ fees_description: '€ 5 per maaltijd', cost_options: [] });
		expect(find(gestopt).status).toBe('inactive');
		expect(advies.status).toBe('active');
		const place = json.locations.find((l) => l.id === toUuid(linde))!;
		expect(place).toMatchObject({
			name: 'Buurthuis De Linde',
			latitude: 52.1,
			longitude: 5.1,
			transportation: 'Bus 12, halte Lindeplein',
			addresses: [expect.objectContaining({ address_1: 'Lindelaan 4', postal_code: '1234 AB', city: 'Lindendorp', country: 'NL' })],
			accessibility: [expect.objectContaining({ description: 'Drempelvrij, invalidentoilet' })]
		});
	});
});

describe('importing HSDS', () => {
	it('brings an export into an empty map without losing anything', () => {
		const { device } = seed();
		const json = toHsds(device.read(), { now: NOW });
		const copy = new Device();
		const plan = planHsdsImport(JSON.parse(JSON.stringify(json)), copy.read());
		expect(plan.refused).toEqual([]);
		expect(plan.notes).toEqual([]);
		expect(applyImport(plan, copy, IMPORTER, NOW)).toEqual({ added: 7, updated: 0 });
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
		expect(applyImport(again, device, IMPORTER, NOW)).toEqual({ added: 0, updated: 0 });

		const changed: HsdsExport = JSON.parse(JSON.stringify(json));
		const advies = changed.services.find((s) => s.id === toUuid(spreekuur))!;
		advies.name = 'Spreekuur ouderenadviseur (nieuw adres)';
		advies.schedules = advies.schedules.filter((s) => s.freq === 'WEEKLY');
		advies.eligibility_description = '';
		const plan = planHsdsImport(changed, device.read());
		expect(plan.services.filter((s) => s.action === 'update').map((s) => s.name)).toEqual(['Spreekuur ouderenadviseur (nieuw adres)']);
		expect(applyImport(plan, device, IMPORTER, NOW)).toEqual({ added: 0, updated: 1 });
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

		expect(applyImport(plan, map, IMPORTER, NOW)).toEqual({ added: 2, updated: 0 });
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
			expect(applyImport(plan, device, IMPORTER, NOW)).toEqual({ added: 0, updated: 0 });
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
		expect(applyImport(plan, device, IMPORTER, NOW)).toEqual({ added: 1, updated: 0 });
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

/** The document as plain data, as a peer's device could have written any part of it. */
function plain(value: unknown): unknown {
	if (isImmutableString(value)) return String(value);
	if (Array.isArray(value)) return value.map(plain);
	if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
	return value;
}

function leafPaths(value: unknown, path: string[] = []): string[][] {
	if (typeof value !== 'object' || value === null) return [path];
	const inner = Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...path, key]));
	return inner.length > 0 ? inner : [path];
}

const INJECTED = ['\r\n', '\n', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\ud800', '"', '<script>', 'javascript:', ' ', 'é', '😀'];

describe('exporting a map that a hostile peer wrote to', () => {
	it('writes a website with an accent or a quote in it percent-encoded, and leaves out an address HSDS does not take', () => {
		const { device, welzijn, maaltijd } = seed();
		device.change((d) => {
			d.organizations[welzijn].website = new A.ImmutableString('https://welzijn-linden.nl/café "koffie"');
			d.organizations[welzijn].email = new A.ImmutableString('ömer@welzijn-linden.nl');
			d.services[maaltijd].website = new A.ImmutableString('mailto:info@deakker.nl');
		});
		const json = toHsds(device.read(), { now: NOW });
		expect(json.organizations.find((o) => o.name === 'Welzijn Lindenbuurt')).toMatchObject({ website: 'https://welzijn-linden.nl/caf%C3%A9%20%22koffie%22' });
		expect(json.organizations.find((o) => o.name === 'Welzijn Lindenbuurt')?.email).toBeUndefined();
		expect(json.services.find((x) => x.name === 'Buurtmaaltijd')?.url).toBeUndefined();
		expect(invalidRecords(json)).toEqual([]);
	});

	it('still writes records that validate against the HSDS schemas, one service for each the map shows', () => {
		const honest = plain(A.toJS(seed().device.doc)) as Record<string, unknown>;
		const hostile = fc.oneof(
			fc.tuple(fc.string({ maxLength: 60 }), fc.nat(), fc.constantFrom(...INJECTED)).map(([s, at, bad]) => s.slice(0, at % (s.length + 1)) + bad + s.slice(at % (s.length + 1))),
			fc.string({ unit: 'binary', maxLength: 200 }),
			fc.constant('x'.repeat(10_000)),
			fc.anything({ maxDepth: 1 })
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), hostile), { minLength: 1, maxLength: 4 }), (hits) => {
				const doc = structuredClone(honest);
				for (const [at, near, bad] of hits) {
					const paths = leafPaths(doc);
					const path = paths[at % paths.length];
					let target = doc as Record<string, unknown>;
					for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
					const last = path[path.length - 1];
					const old = target[last];
					// Half the time a real value with something put in, so it looks almost right.
					target[last] = typeof old === 'string' && near % 2 === 0 && typeof bad === 'string' ? old.slice(0, near % (old.length + 1)) + bad + old.slice(near % (old.length + 1)) : bad;
				}
				const read = readMap([doc]);
				const json = toHsds(read, { now: NOW });
				expect(invalidRecords(json)).toEqual([]);
				expect(json.services).toHaveLength(read.services.length);
				// No control character, line separator, bidi override or half a surrogate pair in any field.
				const written = JSON.stringify(json);
				expect(written).not.toMatch(/\\u00[01][0-9a-f]|\\ud[89a-f][0-9a-f]{2}/i);
				expect(written).not.toMatch(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
			}),
			{ numRuns: 100 }
		);
	}, 60_000);
});
