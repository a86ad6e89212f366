// Reading an HSDS file: its organisations, services, locations and links, found before any of them
// is checked.
import { isRecord } from '../../automerge/fields.ts';
import { listOf, textOf, type Obj } from './fields.ts';
import { MAX_IMPORT_RECORDS } from './plan.ts';

export interface Raw {
	record: Obj;
	path: string;
	/** The HSDS id of the organisation (for a service) or service (for a link) it was nested in. */
	parent?: string;
}

export interface Collected {
	organizations: Raw[];
	services: Raw[];
	locations: Raw[];
	links: Raw[];
	unknown: string[];
	count: number;
	/** The file lists where services are offered, so a service without links is offered nowhere. */
	linkTable: boolean;
}

type RecordKind = 'organization' | 'service' | 'location' | 'link';

function kindOf(o: Obj): RecordKind | undefined {
	const has = (...keys: string[]) => keys.some((k) => k in o);
	if (!has('id', 'name')) return undefined;
	if (has('service_id', 'service') && has('location_id', 'location')) return 'link';
	if (has('location_type', 'latitude', 'longitude', 'addresses', 'transportation')) return 'location';
	if (has('status', 'organization_id', 'organization', 'service_at_locations', 'eligibility_description', 'application_process', 'schedules'))
		return 'service';
	if (has('services', 'locations', 'website', 'tax_status', 'legal_status', 'organization_identifiers', 'year_incorporated')) return 'organization';
	if (has('description')) return 'organization';
	return undefined;
}

function collector() {
	const c: Collected = { organizations: [], services: [], locations: [], links: [], unknown: [], count: 0, linkTable: false };
	const full = () => c.count > MAX_IMPORT_RECORDS;
	const organization = (o: Obj, path: string, nested = false) => {
		if (full()) return;
		c.count += 1;
		c.organizations.push({ record: o, path });
		if (nested) return;
		listOf(o.services).forEach((s, i) => service(s, `${path}.services[${i}]`, textOf(o.id)));
		listOf(o.locations).forEach((l, i) => location(l, `${path}.locations[${i}]`));
	};
	const service = (o: Obj, path: string, parent?: string) => {
		if (full()) return;
		c.count += 1;
		c.services.push({ record: o, path, parent });
		if (isRecord(o.organization)) organization(o.organization, `${path}.organization`, true);
		listOf(o.service_at_locations).forEach((l, i) => link(l, `${path}.service_at_locations[${i}]`, textOf(o.id)));
	};
	const location = (o: Obj, path: string) => {
		if (full()) return;
		c.count += 1;
		c.locations.push({ record: o, path });
	};
	const link = (o: Obj, path: string, parent?: string) => {
		if (full()) return;
		c.count += 1;
		c.links.push({ record: o, path, parent });
		if (isRecord(o.location)) location(o.location, `${path}.location`);
		if (isRecord(o.service)) service(o.service, `${path}.service`);
	};
	const any = (item: unknown, path: string) => {
		const kind = isRecord(item) ? kindOf(item) : undefined;
		if (!isRecord(item) || !kind) {
			c.unknown.push(path);
			return;
		}
		({ organization, service, location, link })[kind](item, path);
	};
	return { c, organization, service, location, link, any };
}

/** HSDS tabular data (one array per CSV file, as in the specification's examples) nested again. */
function nestTabular(json: Obj): Obj {
	const table = (name: string) => listOf(json[`${name}.csv`]);
	const by = (rows: Obj[], key: string) => {
		const m = new Map<string, Obj[]>();
		for (const r of rows) {
			const k = textOf(r[key]);
			if (!k) continue;
			const list = m.get(k);
			if (list) list.push(r);
			else m.set(k, [r]);
		}
		return (id: unknown) => m.get(textOf(id)) ?? [];
	};
	const terms = new Map(table('taxonomy_terms').map((t) => [textOf(t.id), t]));
	const attributes = by(
		table('attributes').map((a) => ({ ...a, taxonomy_term: terms.get(textOf(a.taxonomy_term_id)) })),
		'link_id'
	);
	const phones = table('phones');
	const servicePhones = by(phones, 'service_id');
	const organizationPhones = by(phones, 'organization_id');
	const schedules = by(table('schedules'), 'service_id');
	const languages = by(table('languages'), 'service_id');
	const costs = by(table('cost_options'), 'service_id');
	const addresses = by(table('addresses'), 'location_id');
	const accessibility = by(table('accessibility'), 'location_id');
	return {
		organizations: table('organizations').map((o) => ({ ...o, phones: organizationPhones(o.id) })),
		services: table('services').map((s) => ({
			...s,
			phones: servicePhones(s.id),
			schedules: schedules(s.id),
			languages: languages(s.id),
			cost_options: costs(s.id),
			attributes: attributes(s.id)
		})),
		locations: table('locations').map((l) => ({ ...l, addresses: addresses(l.id), accessibility: accessibility(l.id) })),
		service_at_locations: table('service_at_location')
	};
}

/**
 * Every organisation, service, location and link in a file, whatever its shape: this map's export
 * (four arrays), HSDS tabular data, a paged API list (`contents`), a plain array, or a single
 * record with everything nested (like the specification's `service_full.json`).
 */
export function collect(json: unknown): Collected | undefined {
	const { c, organization, service, location, link, any } = collector();
	const root = isRecord(json) && Object.keys(json).some((k) => k.endsWith('.csv')) ? nestTabular(json) : json;
	// An empty list of records is a valid (empty) file; anything else must hold at least one record.
	let lists = false;
	if (Array.isArray(root)) root.forEach((item, i) => any(item, `[${i}]`));
	else if (isRecord(root)) {
		const each = (key: string, add: (o: Obj, path: string) => void) => {
			const items: unknown[] = Array.isArray(root[key]) ? root[key] : [];
			items.forEach((item, i) => (isRecord(item) ? add(item, `${key}[${i}]`) : c.unknown.push(`${key}[${i}]`)));
		};
		// A record has an id or a name; nested lists (a service's service_at_locations) are not tables.
		const record = 'id' in root || 'name' in root;
		lists = !record && ['organizations', 'services', 'locations', 'service_at_locations'].some((k) => Array.isArray(root[k]));
		if (lists) {
			each('organizations', organization);
			each('locations', location);
			each('services', service);
			each('service_at_locations', link);
			c.linkTable = Array.isArray(root.service_at_locations);
		} else if (!record && Array.isArray(root.contents)) {
			lists = true;
			root.contents.forEach((item: unknown, i: number) => any(item, `contents[${i}]`));
		} else any(root, '');
	}
	return c.count > 0 || (lists && c.unknown.length === 0) ? c : undefined;
}
