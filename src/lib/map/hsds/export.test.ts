import { readdirSync } from 'node:fs';
import * as A from '@automerge/automerge/slim';
import { isImmutableString } from '@automerge/automerge/slim';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { fixture, fixtures, NOW, seed } from '../../../../tests/fixtures/hsds-map.ts';
import { readMap } from '../view.ts';
import { toHsds } from './export.ts';
import { fromUuid, toUuid } from './ids.ts';
import type { HsdsExport } from './types.ts';

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
