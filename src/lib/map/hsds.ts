// The social map in Open Referral HSDS 3.0, the format municipal and regional social maps
// exchange, and imports of such files. An import is planned first (checked with the same rules as
// the forms, matched by id, nothing written), so a manager sees what would be added, changed and
// refused before anything happens; applying goes through the domain mutations, so a bad file can
// add and change entries but never deletes anything that is on the map.
import { WEEKDAYS, type WeekdayCode } from '../agenda/recurrence.ts';
import { isRecord } from '../automerge/fields.ts';
import { wallAt } from '../agenda/time.ts';
import { LANGUAGES } from './document.ts';
import {
	addTheme,
	blankService,
	checkLocation,
	checkOrganization,
	checkService,
	createLocation,
	createOrganization,
	createService,
	editLocation,
	editOrganization,
	editService,
	removeItem,
	restoreItem,
	reviewService,
	type Actor,
	type LocationInput,
	type MapHandle,
	type OrganizationInput,
	type ServiceInput
} from './mutations.ts';
import type { Location, MapRead, Organization, Schedule, Service } from './view.ts';

// --- The export ----------------------------------------------------------------------------------

export interface HsdsPhone {
	id: string;
	number: string;
	description?: string;
}

export interface HsdsSchedule {
	id: string;
	service_id: string;
	freq: 'WEEKLY' | 'MONTHLY';
	/** 'MO,TU' weekly; '2TU' for the second Tuesday of the month. */
	byday: string;
	/** Wall-clock time in the Netherlands. */
	opens_at: string;
	closes_at: string;
	notes?: string;
}

export interface HsdsLanguage {
	id: string;
	service_id: string;
	name: string;
	code: string;
}

export interface HsdsTaxonomyTerm {
	id: string;
	code: string;
	name: string;
	description: string;
	taxonomy: string;
}

export interface HsdsAttribute {
	id: string;
	link_id: string;
	link_entity: 'service';
	taxonomy_term_id: string;
	taxonomy_term: HsdsTaxonomyTerm;
	value?: string;
}

export interface HsdsCostOption {
	id: string;
	service_id: string;
	option: string;
	amount: number;
	currency: 'EUR';
}

export interface HsdsOrganization {
	id: string;
	name: string;
	description: string;
	email?: string;
	website?: string;
	phones: HsdsPhone[];
}

export interface HsdsService {
	id: string;
	organization_id: string;
	name: string;
	description: string;
	eligibility_description: string;
	application_process: string;
	fees_description: string;
	url?: string;
	email?: string;
	status: 'active' | 'inactive';
	assured_date: string;
	last_modified: string;
	phones: HsdsPhone[];
	schedules: HsdsSchedule[];
	languages: HsdsLanguage[];
	attributes: HsdsAttribute[];
	cost_options: HsdsCostOption[];
}

export interface HsdsAddress {
	id: string;
	location_id: string;
	address_1: string;
	city: string;
	state_province: string;
	postal_code: string;
	country: 'NL';
	address_type: 'physical';
}

export interface HsdsAccessibility {
	id: string;
	location_id: string;
	description: string;
}

export interface HsdsLocation {
	id: string;
	location_type: 'physical';
	name: string;
	latitude?: number;
	longitude?: number;
	transportation: string;
	addresses: HsdsAddress[];
	accessibility: HsdsAccessibility[];
}

export interface HsdsServiceAtLocation {
	id: string;
	service_id: string;
	location_id: string;
}

/** The whole map: the four HSDS tables, with phones, schedules, languages and themes inside services. */
export interface HsdsExport {
	version: '3.0';
	exported_at: string;
	organizations: HsdsOrganization[];
	services: HsdsService[];
	locations: HsdsLocation[];
	service_at_locations: HsdsServiceAtLocation[];
}

/** Themes are taxonomy terms of this vocabulary; other maps see the Dutch words as codes. */
export const THEME_TAXONOMY = 'noaber-themes';
/** HSDS has accessibility only for locations; a service's own note travels as an attribute value. */
const NOTE_TAXONOMY = 'noaber';
const ACCESSIBILITY = 'accessibility';
const ZONE = 'Europe/Amsterdam';

const HEX32 = /^[0-9a-f]{32}$/;
const UUID = /^(?:urn:uuid:)?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;
const OWN_ID = /^[A-Za-z0-9_-]{8,64}$/;

const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;
const encoder = new TextEncoder();

function fnv64(bytes: Uint8Array, basis: bigint): string {
	let hash = basis;
	for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK64;
	return hash.toString(16).padStart(16, '0');
}

/**
 * 32 hex characters derived from text: ids for what the map stores without one (an address, a
 * theme on a service) and for foreign ids that are not UUIDs, so exporting twice, or importing the
 * same file twice, gives the same ids. Marked as a version 8 (custom) UUID.
 */
export function hashId(text: string): string {
	const bytes = encoder.encode(text);
	const hex = fnv64(bytes, 0xcbf29ce484222325n) + fnv64(bytes, 0x84222325cbf29ce4n);
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 12)}8${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
}

/** The map's ids are 32 random hex characters; HSDS wants them written as a UUID. */
export function toUuid(id: string): string {
	const hex = HEX32.test(id) ? id : hashId(id);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The map id of a UUID written by `toUuid` (or by anyone else). */
export function fromUuid(uuid: string): string | undefined {
	const m = UUID.exec(uuid.trim());
	return m ? m.slice(1).join('').toLowerCase() : undefined;
}

const partId = (...parts: string[]) => toUuid(hashId(parts.join('\u0000')));

const amsterdamDay = (iso: string) => wallAt(new Date(iso), ZONE).slice(0, 10);

const dutchNames = (() => {
	try {
		return new Intl.DisplayNames(['nl'], { type: 'language' });
	} catch {
		return undefined;
	}
})();

function languageName(code: string): string {
	try {
		return dutchNames?.of(code) ?? code;
	} catch {
		return code;
	}
}

const bydayOf = (s: Pick<Schedule, 'freq' | 'byday' | 'nth'>) =>
	s.freq === 'MONTHLY' && s.nth !== undefined ? `${s.nth}${s.byday[0]}` : s.byday.join(',');

function scheduleOrder(a: Schedule, b: Schedule): number {
	const key = (s: Schedule) => [s.freq, String(s.nth ?? 0).padStart(2, '0'), String(WEEKDAYS.indexOf(s.byday[0] as WeekdayCode)), s.opensAt, s.closesAt, s.byday.join()].join('|');
	return key(a).localeCompare(key(b));
}

function exportService(s: Service, organizationGone: boolean): HsdsService {
	const id = toUuid(s.id);
	const term = (code: string, name: string, taxonomy: string): HsdsTaxonomyTerm => ({
		id: partId('taxonomy_term', taxonomy, code),
		code,
		name,
		description: name,
		taxonomy
	});
	const attribute = (t: HsdsTaxonomyTerm, value?: string): HsdsAttribute => ({
		id: partId(s.id, 'attribute', t.taxonomy, t.code),
		link_id: id,
		link_entity: 'service',
		taxonomy_term_id: t.id,
		taxonomy_term: t,
		...(value !== undefined ? { value } : {})
	});
	const attributes = [...s.themes].sort().map((theme) => attribute(term(theme, theme, THEME_TAXONOMY)));
	if (s.accessibility) attributes.push(attribute(term(ACCESSIBILITY, 'Toegankelijkheid', NOTE_TAXONOMY), s.accessibility));
	return {
		id,
		organization_id: toUuid(s.organization),
		name: s.name,
		description: s.description,
		eligibility_description: s.forWhom,
		application_process: s.howToApply,
		fees_description: s.free ? '' : s.fees,
		...optional('url', webAddress(s.website)),
		...optional('email', s.email),
		status: s.removed || organizationGone ? 'inactive' : 'active',
		assured_date: amsterdamDay(s.reviewed.at),
		last_modified: s.updated.at,
		phones: [...s.phones]
			.sort((a, b) => a.number.localeCompare(b.number))
			.map((p) => ({ id: partId(s.id, 'phone', p.number), number: p.number, ...optional('description', p.description) })),
		schedules: [...s.schedules].sort(scheduleOrder).map((x) => ({
			id: partId(s.id, 'schedule', x.freq, bydayOf(x), x.opensAt, x.closesAt),
			service_id: id,
			freq: x.freq,
			byday: bydayOf(x),
			opens_at: `${x.opensAt}:00`,
			closes_at: `${x.closesAt}:00`,
			...optional('notes', x.note)
		})),
		languages: [...s.languages].sort().map((code) => ({ id: partId(s.id, 'language', code), service_id: id, name: languageName(code), code })),
		attributes,
		cost_options: s.free ? [{ id: partId(s.id, 'cost_option', 'free'), service_id: id, option: 'Gratis', amount: 0, currency: 'EUR' }] : []
	};
}

/**
 * Leaves out empty e-mail addresses and URLs, which HSDS checks and an empty one is not. (So an
 * import cannot clear them on an existing entry: a missing field keeps what the map has.)
 */
function optional<K extends string>(key: K, value: string): { [P in K]?: string } {
	return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

/**
 * A website as HSDS's `uri` format takes it: a web address, with what a URI may not hold (an accent,
 * a space, a quote a peer put in) percent-encoded as a browser would; anything else is left out.
 */
function webAddress(value: string): string {
	if (/^https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/i.test(value)) return value;
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
	} catch {
		return '';
	}
}

function exportLocation(l: Location): HsdsLocation {
	const id = toUuid(l.id);
	return {
		id,
		location_type: 'physical',
		name: l.name,
		...(l.lat !== undefined && l.lon !== undefined ? { latitude: l.lat, longitude: l.lon } : {}),
		transportation: l.transport,
		addresses:
			l.street || l.postcode || l.city
				? [{ id: partId(l.id, 'address'), location_id: id, address_1: l.street, city: l.city, state_province: '', postal_code: l.postcode, country: 'NL', address_type: 'physical' }]
				: [],
		accessibility: l.accessibility ? [{ id: partId(l.id, 'accessibility'), location_id: id, description: l.accessibility }] : []
	};
}

/**
 * The whole map as HSDS 3.0. Removed services are kept as 'inactive' (so other maps drop them
 * too); removed locations are left out, and a removed organisation only appears for its services,
 * which are then inactive. Opening hours are Dutch wall-clock times.
 */
export function toHsds(map: MapRead, options: { now?: Date } = {}): HsdsExport {
	const organizations = new Map(map.organizations.map((o) => [o.id, o]));
	const locations = map.locations.filter((l) => !l.removed);
	const present = new Set(locations.map((l) => l.id));
	const gone = (s: Service) => organizations.get(s.organization)?.removed != null;
	const services = map.services.map((s) => exportService(s, gone(s)));
	const used = new Set(map.services.map((s) => s.organization));
	const exportedOrganizations = [...organizations.values()]
		.filter((o) => !o.removed || used.has(o.id))
		.sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id))
		.map(
			(o: Organization): HsdsOrganization => ({
				id: toUuid(o.id),
				name: o.name,
				description: o.description,
				...optional('email', o.email),
				...optional('website', webAddress(o.website)),
				phones: o.phone ? [{ id: partId(o.id, 'phone'), number: o.phone }] : []
			})
		);
	return {
		version: '3.0',
		exported_at: (options.now ?? new Date()).toISOString(),
		organizations: exportedOrganizations,
		services,
		locations: [...locations].sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.id.localeCompare(b.id)).map(exportLocation),
		service_at_locations: map.services.flatMap((s) =>
			[...s.locationIds]
				.filter((l) => present.has(l))
				.sort()
				.map((l) => ({ id: partId(s.id, 'service_at_location', l), service_id: toUuid(s.id), location_id: toUuid(l) }))
		)
	};
}

// --- Import plans (shared with the spreadsheet import) --------------------------------------------

/** Why a record is not imported; the app says it in Dutch. */
export type RefusalReason =
	| 'not_hsds'
	| 'too_many'
	| 'no_name'
	| 'no_organization'
	| 'bad_phone'
	| 'bad_email'
	| 'bad_website'
	| 'bad_postcode'
	| 'bad_coordinates'
	| 'bad_schedule'
	/** The same service twice in one spreadsheet. */
	| 'duplicate'
	| 'invalid';

/** Something in an imported record the map cannot hold; the record itself is imported. */
export type NoteCode =
	| 'shortened'
	| 'phone_dropped'
	| 'language_dropped'
	| 'schedule_dropped'
	| 'link_dropped'
	| 'attribute_dropped'
	| 'column_ignored'
	| 'hours_not_read';

export type ImportKind = 'organization' | 'location' | 'service';

/** Where a record is in the file: a path in JSON ('services[3]'), a row in a spreadsheet (header = 1). */
export interface ImportRef {
	kind: ImportKind | 'file';
	name: string;
	path?: string;
	row?: number;
}

export interface Refusal extends ImportRef {
	reason: RefusalReason;
	/** The field that failed, when there is one. */
	field?: string;
}

export interface ImportNote extends ImportRef {
	note: NoteCode;
	/** What was left out or shortened, as found in the file. */
	detail: string;
}

export interface Planned<T> extends ImportRef {
	id: string;
	/** 'update' only when something would change. */
	action: 'add' | 'update' | 'unchanged';
	input: T;
}

export interface PlannedService extends Planned<ServiceInput> {
	/** Removed (HSDS status inactive, defunct, temporarily closed); undefined leaves it as it is. */
	removed?: boolean;
	/** When the source last checked it (HSDS assured_date), kept instead of "checked now". */
	reviewedAt?: string;
}

export interface ImportPlan {
	organizations: Planned<OrganizationInput>[];
	locations: Planned<LocationInput>[];
	services: PlannedService[];
	/** Themes that services use and the map does not offer yet. */
	themes: string[];
	refused: Refusal[];
	notes: ImportNote[];
}

export const MAX_IMPORT_RECORDS = 5000;

export const emptyPlan = (): ImportPlan => ({ organizations: [], locations: [], services: [], themes: [], refused: [], notes: [] });

/** Limits of the form fields, so imported text is shortened (with a note) rather than refused. */
export const LIMITS = {
	name: 120,
	organizationDescription: 2000,
	serviceDescription: 3000,
	forWhom: 1000,
	howToApply: 1000,
	fees: 200,
	phoneNote: 120,
	accessibility: 300,
	transport: 300,
	street: 120,
	city: 80,
	scheduleNote: 200,
	theme: 40
} as const;

export const organizationForm = (o: Organization): OrganizationInput => ({
	name: o.name,
	description: o.description,
	email: o.email,
	website: o.website,
	phone: o.phone
});

export const locationForm = (l: Location): LocationInput => ({
	name: l.name,
	street: l.street,
	postcode: l.postcode,
	city: l.city,
	...(l.lat !== undefined && l.lon !== undefined ? { lat: l.lat, lon: l.lon } : {}),
	accessibility: l.accessibility,
	transport: l.transport
});

const isLanguage = (code: string): code is ServiceInput['languages'][number] => (LANGUAGES as readonly string[]).includes(code);
const isWeekday = (code: string): code is WeekdayCode => (WEEKDAYS as readonly string[]).includes(code);

export const serviceForm = (s: Service): ServiceInput => ({
	name: s.name,
	organization: s.organization,
	description: s.description,
	forWhom: s.forWhom,
	howToApply: s.howToApply,
	themes: s.themes,
	free: s.free,
	fees: s.free ? '' : s.fees,
	languages: s.languages.filter(isLanguage),
	email: s.email,
	website: s.website,
	phone: s.phones[0]?.number ?? '',
	phoneNote: s.phones[0]?.description ?? '',
	schedules: s.schedules.map((x) => ({ freq: x.freq, days: x.byday.filter(isWeekday), nth: x.nth, opensAt: x.opensAt, closesAt: x.closesAt, note: x.note })),
	accessibility: s.accessibility,
	locations: s.locationIds
});

/** Postcodes are stored as '1234 AB' (see the location mutations); compare them the same way. */
export const postcodeOf = (s: string) => s.trim().toUpperCase().replace(/^(\d{4})\s?/, '$1 ');

const sorted = (values: readonly string[]) => [...values].sort();

function organizationKey(o: OrganizationInput): string {
	return JSON.stringify([o.name, o.description, o.email, o.website, o.phone]);
}

function locationKey(l: LocationInput): string {
	return JSON.stringify([l.name, l.street, postcodeOf(l.postcode), l.city, l.lat ?? null, l.lon ?? null, l.accessibility, l.transport]);
}

function serviceKey(s: ServiceInput): string {
	const schedules = s.schedules.map((x) => [x.freq, x.days.join(','), x.freq === 'MONTHLY' ? (x.nth ?? '') : '', x.opensAt, x.closesAt, x.note].join('|'));
	return JSON.stringify([
		s.name,
		s.organization,
		s.description,
		s.forWhom,
		s.howToApply,
		sorted(s.themes),
		s.free,
		s.free ? '' : s.fees,
		sorted(s.languages),
		s.email,
		s.website,
		s.phone,
		s.phone ? s.phoneNote : '',
		sorted(schedules),
		s.accessibility,
		sorted(s.locations)
	]);
}

export function organizationAction(input: OrganizationInput, current: Organization | undefined): Planned<OrganizationInput>['action'] {
	if (!current) return 'add';
	return organizationKey(input) === organizationKey(organizationForm(current)) ? 'unchanged' : 'update';
}

export function locationAction(input: LocationInput, current: Location | undefined): Planned<LocationInput>['action'] {
	if (!current) return 'add';
	return locationKey(input) === locationKey(locationForm(current)) ? 'unchanged' : 'update';
}

export function serviceAction(input: ServiceInput, removed: boolean | undefined, current: Service | undefined): Planned<ServiceInput>['action'] {
	if (!current) return 'add';
	const same = serviceKey(input) === serviceKey(serviceForm(current)) && (removed === undefined || removed === (current.removed !== null));
	return same ? 'unchanged' : 'update';
}

const REASONS: [string, RefusalReason][] = [
	['name', 'no_name'],
	['organization', 'no_organization'],
	['phone', 'bad_phone'],
	['email', 'bad_email'],
	['website', 'bad_website'],
	['lat', 'bad_coordinates'],
	['lon', 'bad_coordinates'],
	['postcode', 'bad_postcode'],
	['schedules', 'bad_schedule']
];

/** The reason code for the form errors of a record (the first that matters most). */
export function reasonOf(errors: Record<string, string>): { reason: RefusalReason; field: string } {
	const fields = Object.keys(errors);
	for (const [field, reason] of REASONS) {
		const hit = fields.find((f) => f === field || f.startsWith(`${field}.`));
		if (hit) return { reason: field === 'name' && errors[hit] !== 'required' ? 'invalid' : reason, field: hit };
	}
	return { reason: 'invalid', field: fields[0] ?? 'form' };
}

/** Shortens text to a form field's limit, noting it. */
export function clipper(ref: ImportRef, notes: ImportNote[]) {
	return (field: string, value: string, max: number): string => {
		const trimmed = value.trim();
		if (trimmed.length <= max) return trimmed;
		notes.push({ ...ref, note: 'shortened', detail: field });
		return `${trimmed.slice(0, max - 1).trimEnd()}…`;
	};
}

/** Phone numbers from other systems come with stray quotes (the HSDS example has them too). */
export const cleanPhone = (s: string) => s.trim().replace(/^["'\s]+|["'\s]+$/g, '');

/** 'www.example.nl' is what people write; the map keeps addresses with their scheme. */
export function cleanWebsite(s: string): string {
	const value = s.trim();
	return value && !/^[a-z][a-z0-9+.-]*:/i.test(value) && /^[^\s/@]+\.[^\s@]+$/.test(value) ? `https://${value}` : value;
}

export const cleanEmail = (s: string) => s.trim().replace(/^mailto:/i, '');

/** Matches a theme to the map's spelling, case-insensitively; new ones are collected for the plan. */
export function themeMatcher(current: string[], plan: ImportPlan) {
	const known = new Map(current.map((t) => [t.toLowerCase(), t]));
	return (theme: string): string => {
		const name = theme.trim().slice(0, LIMITS.theme);
		const hit = known.get(name.toLowerCase());
		if (hit) return hit;
		known.set(name.toLowerCase(), name);
		plan.themes.push(name);
		return name;
	};
}

const LANGUAGE_ALIASES: Record<string, ServiceInput['languages'][number]> = {
	nld: 'nl', dut: 'nl', eng: 'en', tur: 'tr', ara: 'ar', pol: 'pl', deu: 'de', ger: 'de', fry: 'fy', ukr: 'uk', tir: 'ti'
};

/** A language code (ISO 639-1, or -2/-3 for the few the map offers) as the map stores it. */
export function languageOf(code: string): ServiceInput['languages'][number] | undefined {
	const c = code.trim().toLowerCase().split(/[-_]/)[0];
	return isLanguage(c) ? c : LANGUAGE_ALIASES[c];
}

// --- Reading an HSDS file --------------------------------------------------------------------------

type Obj = Record<string, unknown>;

const textOf = (x: unknown): string => (typeof x === 'string' ? x.trim() : typeof x === 'number' && Number.isFinite(x) ? String(x) : '');
const listOf = (x: unknown): Obj[] => (Array.isArray(x) ? x.filter(isRecord) : []);

function numberOf(x: unknown): number | undefined {
	if (typeof x === 'number') return Number.isFinite(x) ? x : NaN;
	if (typeof x === 'string' && x.trim()) {
		const n = Number(x.trim().replace(',', '.'));
		return Number.isFinite(n) ? n : NaN;
	}
	return undefined;
}

interface Raw {
	record: Obj;
	path: string;
	/** The HSDS id of the organisation (for a service) or service (for a link) it was nested in. */
	parent?: string;
}

interface Collected {
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
function collect(json: unknown): Collected | undefined {
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

/** Resolves an HSDS id to the map's: an id on the map in either spelling, a UUID, or anything else hashed. */
function idResolver(current: MapRead) {
	const known = new Map<string, string>();
	for (const item of [...current.organizations, ...current.locations, ...current.services]) {
		known.set(item.id.toLowerCase(), item.id);
		known.set(toUuid(item.id), item.id);
	}
	return (value: unknown, fallback: string): string => {
		const raw = textOf(value);
		if (!raw) return hashId(fallback);
		const hex = fromUuid(raw);
		const hit = known.get(raw.toLowerCase()) ?? (hex ? (known.get(hex) ?? known.get(toUuid(hex))) : undefined);
		return hit ?? hex ?? (OWN_ID.test(raw) ? raw : hashId(raw));
	};
}

const TIME = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function clockOf(x: unknown): string | undefined {
	const m = TIME.exec(textOf(x));
	return m ? `${m[1].padStart(2, '0')}:${m[2]}` : undefined;
}

type ScheduleResult = { ok: true; schedules: ServiceInput['schedules'] } | { ok: false; dropped?: string };

/**
 * One HSDS schedule as the map's weekly or monthly-nth hours. A malformed schedule is refused
 * (`ok: false` without `dropped`); a valid one the map cannot express (every other week, dates,
 * hours only as text) is left out with what it said.
 */
function readSchedule(o: Obj, note: string): ScheduleResult {
	const describe = () => textOf(o.description) || textOf(o.notes) || `${textOf(o.freq)} ${textOf(o.byday)} ${textOf(o.opens_at)}–${textOf(o.closes_at)}`.trim();
	const freq = textOf(o.freq).toUpperCase();
	const byday = textOf(o.byday).toUpperCase();
	if (!freq && !byday) return { ok: false, dropped: describe() };
	if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return { ok: false };
	const interval = numberOf(o.interval);
	const unsupported = ['byweekno', 'bymonthday', 'byyearday', 'count', 'until'].some((k) => textOf(o[k])) || (interval !== undefined && interval !== 1);
	if (unsupported || !byday) return { ok: false, dropped: describe() };
	const tokens = byday.split(',').map((t) => /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(t.trim()));
	if (tokens.some((t) => !t)) return { ok: false };
	const opensAt = clockOf(o.opens_at);
	const closesAt = clockOf(o.closes_at);
	if (!textOf(o.opens_at) || !textOf(o.closes_at)) return { ok: false, dropped: describe() };
	if (!opensAt || !closesAt) return { ok: false };
	const days = tokens.map((t) => ({ nth: t![1] ? Number(t![1]) : undefined, day: t![2] as WeekdayCode }));
	if (freq === 'WEEKLY' || days.every((d) => d.nth === undefined)) {
		if (days.some((d) => d.nth !== undefined)) return { ok: false };
		return { ok: true, schedules: [{ freq: 'WEEKLY', days: days.map((d) => d.day), opensAt, closesAt, note }] };
	}
	if (days.some((d) => d.nth === undefined)) return { ok: false };
	if (days.some((d) => ![1, 2, 3, 4, -1].includes(d.nth!))) return { ok: false, dropped: describe() };
	return {
		ok: true,
		schedules: days.map((d) => ({ freq: 'MONTHLY', days: [d.day], nth: d.nth as 1 | 2 | 3 | 4 | -1, opensAt, closesAt, note }))
	};
}

const INACTIVE = ['inactive', 'defunct', 'temporarily closed'];

function feesOf(o: Obj): { free: boolean; fees: string } {
	const text = textOf(o.fees_description) || textOf(o.fees);
	const costs = listOf(o.cost_options);
	const amounts = costs.map((c) => numberOf(c.amount)).filter((n): n is number => n !== undefined && !Number.isNaN(n));
	if (/^(gratis|free|kosteloos|geen kosten)\.?$/i.test(text)) return { free: true, fees: '' };
	if (!text && amounts.length > 0 && amounts.every((a) => a === 0)) return { free: true, fees: '' };
	if (text) return { free: false, fees: text };
	const described = costs
		.filter((c) => numberOf(c.amount) !== undefined)
		.map((c) => [textOf(c.option), `${textOf(c.amount)} ${textOf(c.currency).toUpperCase()}`.trim(), textOf(c.amount_description)].filter(Boolean).join(' '))
		.join('; ');
	return { free: false, fees: described };
}

/**
 * What importing this HSDS file would do to the map: records matched by id are updated, the rest
 * added; each record is checked with the forms' rules and refused with a reason when it fails. A
 * file that is not HSDS, or has more than 5,000 records, is refused as a whole. Never throws.
 */
export function planHsdsImport(json: unknown, current: MapRead): ImportPlan {
	const plan = emptyPlan();
	try {
		planInto(plan, json, current);
	} catch {
		// Input is any JSON; should an unforeseen shape slip through, the file is refused rather than half-planned.
		return { ...emptyPlan(), refused: [{ kind: 'file', name: '', reason: 'invalid' }] };
	}
	return plan;
}

function planInto(plan: ImportPlan, json: unknown, current: MapRead): void {
	const collected = collect(json);
	if (!collected) {
		plan.refused.push({ kind: 'file', name: '', reason: 'not_hsds' });
		return;
	}
	if (collected.count > MAX_IMPORT_RECORDS) {
		plan.refused.push({ kind: 'file', name: '', reason: 'too_many' });
		return;
	}
	for (const path of collected.unknown) plan.refused.push({ kind: 'file', name: '', path, reason: 'invalid' });
	const resolve = idResolver(current);
	const orgs = new Map(current.organizations.map((o) => [o.id, o]));
	const places = new Map(current.locations.map((l) => [l.id, l]));
	const services = new Map(current.services.map((s) => [s.id, s]));
	const theme = themeMatcher(current.themes, plan);

	// A field the record leaves out keeps its value on the map: summaries such as the paged lists
	// of the HSDS API leave out phones and hours, which must not wipe them. New entries start empty.
	const acceptedOrganizations = new Set<string>();
	const refusedOrganizations = new Set<string>();
	const seen = new Set<string>();
	for (const { record: o, path } of collected.organizations) {
		const id = resolve(o.id, `organization:${textOf(o.name)}`);
		if (seen.has(id)) continue;
		seen.add(id);
		const existing = orgs.get(id);
		const input: OrganizationInput = existing ? organizationForm(existing) : { name: '', description: '', email: '', website: '', phone: '' };
		const ref: ImportRef = { kind: 'organization', name: 'name' in o ? textOf(o.name) : input.name, path };
		const clip = clipper(ref, plan.notes);
		if ('name' in o) input.name = clip('name', textOf(o.name), LIMITS.name);
		if ('description' in o) input.description = clip('description', textOf(o.description), LIMITS.organizationDescription);
		if ('email' in o) input.email = cleanEmail(textOf(o.email));
		if ('website' in o || 'url' in o) input.website = cleanWebsite(textOf(o.website) || textOf(o.url));
		if ('phones' in o) {
			const phones = listOf(o.phones);
			input.phone = cleanPhone(textOf(phones[0]?.number));
			if (phones.length > 1) plan.notes.push({ ...ref, note: 'phone_dropped', detail: phones.slice(1).map((p) => textOf(p.number)).join(', ') });
		}
		const checked = checkOrganization(input);
		if (!checked.ok) {
			refusedOrganizations.add(id);
			plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
			continue;
		}
		acceptedOrganizations.add(id);
		plan.organizations.push({ ...ref, id, action: organizationAction(checked.value, existing), input: checked.value });
	}

	const acceptedLocations = new Set<string>();
	seen.clear();
	for (const { record: o, path } of collected.locations) {
		const addresses = listOf(o.addresses);
		const address = addresses.find((a) => textOf(a.address_type) === 'physical') ?? addresses[0] ?? {};
		const street = [textOf(address.address_1), textOf(address.address_2)].filter(Boolean).join(', ');
		const id = resolve(o.id, `location:${textOf(o.name) || street}`);
		if (seen.has(id)) continue;
		seen.add(id);
		const existing = places.get(id);
		const input: LocationInput = existing
			? locationForm(existing)
			: { name: '', street: '', postcode: '', city: '', accessibility: '', transport: '' };
		const ref: ImportRef = { kind: 'location', name: textOf(o.name) || (existing ? input.name : street), path };
		const clip = clipper(ref, plan.notes);
		if ('name' in o || !existing) input.name = clip('name', textOf(o.name) || street, LIMITS.name);
		if ('addresses' in o) {
			input.street = clip('street', street, LIMITS.street);
			input.postcode = textOf(address.postal_code);
			input.city = clip('city', textOf(address.city), LIMITS.city);
		}
		if ('latitude' in o || 'longitude' in o) {
			const lat = numberOf(o.latitude);
			const lon = numberOf(o.longitude);
			if ((lat === undefined) !== (lon === undefined)) {
				plan.refused.push({ ...ref, reason: 'bad_coordinates', field: lat === undefined ? 'lat' : 'lon' });
				continue;
			}
			delete input.lat;
			delete input.lon;
			if (lat !== undefined && lon !== undefined) Object.assign(input, { lat, lon });
		}
		if ('accessibility' in o) {
			const access = listOf(o.accessibility)
				.map((a) => [textOf(a.description), textOf(a.details)].filter(Boolean).join(' '))
				.filter(Boolean)
				.join('\n');
			input.accessibility = clip('accessibility', access, LIMITS.accessibility);
		}
		if ('transportation' in o) input.transport = clip('transport', textOf(o.transportation), LIMITS.transport);
		const checked = checkLocation(input);
		if (!checked.ok) {
			plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
			continue;
		}
		const value = { ...checked.value, postcode: checked.value.postcode ? postcodeOf(checked.value.postcode) : '' };
		acceptedLocations.add(id);
		plan.locations.push({ ...ref, id, action: locationAction(value, existing), input: value });
	}

	const links = new Map<string, { location: string; path: string }[]>();
	for (const { record: o, path, parent } of collected.links) {
		const service = resolve(o.service_id ?? parent ?? (isRecord(o.service) ? o.service.id : undefined), `link:${path}`);
		const location = resolve(o.location_id ?? (isRecord(o.location) ? o.location.id : undefined), `link:${path}`);
		const list = links.get(service);
		if (list) list.push({ location, path });
		else links.set(service, [{ location, path }]);
	}

	seen.clear();
	for (const { record: o, path, parent } of collected.services) {
		const id = resolve(o.id, `service:${textOf(o.name)}`);
		if (seen.has(id)) continue;
		seen.add(id);
		const existing = services.get(id);
		const input: ServiceInput = existing ? serviceForm(existing) : { ...blankService(), free: false, languages: [] };
		const ref: ImportRef = { kind: 'service', name: 'name' in o ? textOf(o.name) : input.name, path };
		const clip = clipper(ref, plan.notes);

		const organizationRef = o.organization_id ?? (isRecord(o.organization) ? o.organization.id : undefined) ?? parent;
		if (textOf(organizationRef)) input.organization = resolve(organizationRef, '');
		const organization = input.organization;
		if (!organization || refusedOrganizations.has(organization) || (!acceptedOrganizations.has(organization) && !orgs.has(organization))) {
			plan.refused.push({ ...ref, reason: 'no_organization', field: 'organization' });
			continue;
		}

		if ('name' in o) input.name = clip('name', textOf(o.name), LIMITS.name);
		if ('description' in o) input.description = clip('description', textOf(o.description), LIMITS.serviceDescription);
		if ('eligibility_description' in o) input.forWhom = clip('forWhom', textOf(o.eligibility_description), LIMITS.forWhom);
		if ('application_process' in o) input.howToApply = clip('howToApply', textOf(o.application_process), LIMITS.howToApply);
		if ('fees_description' in o || 'fees' in o || 'cost_options' in o) {
			const fees = feesOf(o);
			input.free = fees.free;
			input.fees = clip('fees', fees.fees, LIMITS.fees);
		}
		if ('email' in o) input.email = cleanEmail(textOf(o.email));
		if ('url' in o) input.website = cleanWebsite(textOf(o.url));

		if ('phones' in o) {
			const phones = listOf(o.phones);
			input.phone = cleanPhone(textOf(phones[0]?.number));
			input.phoneNote = clip('phoneNote', textOf(phones[0]?.description), LIMITS.phoneNote);
			if (phones.length > 1) plan.notes.push({ ...ref, note: 'phone_dropped', detail: phones.slice(1).map((p) => textOf(p.number)).join(', ') });
		}

		if ('schedules' in o) {
			const schedules: ServiceInput['schedules'] = [];
			let bad = -1;
			listOf(o.schedules).forEach((s, i) => {
				const read = readSchedule(s, clip('schedule note', textOf(s.notes) || textOf(s.description), LIMITS.scheduleNote));
				if (read.ok) schedules.push(...read.schedules);
				else if (read.dropped !== undefined) plan.notes.push({ ...ref, note: 'schedule_dropped', detail: read.dropped });
				else if (bad < 0) bad = i;
			});
			if (bad >= 0) {
				plan.refused.push({ ...ref, reason: 'bad_schedule', field: `schedules.${bad}` });
				continue;
			}
			input.schedules = schedules;
		}

		if ('languages' in o) {
			const languages: ServiceInput['languages'] = [];
			const unknown: string[] = [];
			for (const l of listOf(o.languages)) {
				const code = languageOf(textOf(l.code));
				if (code && !languages.includes(code)) languages.push(code);
				else if (!code) unknown.push(textOf(l.name) || textOf(l.code));
			}
			if (unknown.length) plan.notes.push({ ...ref, note: 'language_dropped', detail: unknown.join(', ') });
			input.languages = languages;
		}

		if ('attributes' in o) {
			const themes: string[] = [];
			let accessibility = '';
			const other: string[] = [];
			for (const a of listOf(o.attributes)) {
				const term = isRecord(a.taxonomy_term) ? a.taxonomy_term : {};
				const taxonomy = textOf(term.taxonomy);
				const code = textOf(term.code) || textOf(term.name);
				if (taxonomy === THEME_TAXONOMY && code) themes.push(theme(code));
				else if (taxonomy === NOTE_TAXONOMY && code === ACCESSIBILITY) accessibility = textOf(a.value);
				else other.push(textOf(term.name) || textOf(term.code) || textOf(a.value) || textOf(a.id));
			}
			if (other.length) plan.notes.push({ ...ref, note: 'attribute_dropped', detail: other.join(', ') });
			input.themes = [...new Set(themes)];
			input.accessibility = clip('accessibility', accessibility, LIMITS.accessibility);
		}

		if (collected.linkTable || 'service_at_locations' in o || links.has(id)) {
			const locations: string[] = [];
			for (const link of links.get(id) ?? []) {
				if (acceptedLocations.has(link.location) || places.has(link.location)) {
					if (!locations.includes(link.location)) locations.push(link.location);
				} else plan.notes.push({ ...ref, note: 'link_dropped', detail: link.path });
			}
			input.locations = locations;
		}

		const checked = checkService(input);
		if (!checked.ok) {
			plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
			continue;
		}
		const status = textOf(o.status).toLowerCase();
		const removed = status ? INACTIVE.includes(status) : undefined;
		// Noon UTC is the same date in the Netherlands, where the date is shown.
		const assured = `${textOf(o.assured_date).slice(0, 10)}T12:00:00.000Z`;
		const reviewedAt = /^\d{4}-\d{2}-\d{2}T/.test(assured) && !Number.isNaN(Date.parse(assured)) ? assured : undefined;
		plan.services.push({
			...ref,
			id,
			action: serviceAction(checked.value, removed, existing),
			input: checked.value,
			...(removed !== undefined ? { removed } : {}),
			...(reviewedAt ? { reviewedAt } : {})
		});
	}
	const used = new Set(plan.services.flatMap((s) => s.input.themes));
	plan.themes = plan.themes.filter((t) => used.has(t));
}

/**
 * Writes a plan to the map with the domain mutations and returns how many entries were added and
 * changed. Plan right before applying: an entry someone added in between would be replaced.
 */
export function applyImport(plan: ImportPlan, handle: MapHandle, actor: Actor, now = new Date()): { added: number; updated: number } {
	let added = 0;
	let updated = 0;
	for (const theme of plan.themes) addTheme(handle, theme);
	for (const o of plan.organizations) {
		if (o.action === 'add') createOrganization(handle, o.input, actor, now, o.id);
		else if (o.action === 'update') editOrganization(handle, o.id, o.input, actor, now);
	}
	for (const l of plan.locations) {
		if (l.action === 'add') createLocation(handle, l.input, actor, now, l.id);
		else if (l.action === 'update') editLocation(handle, l.id, l.input, actor, now);
	}
	for (const s of plan.services) {
		if (s.action === 'unchanged') continue;
		if (s.action === 'add') createService(handle, s.input, actor, now, s.id);
		else editService(handle, s.id, s.input, actor, now);
		if (s.removed === true) removeItem(handle, 'service', s.id, 'HSDS: inactive', actor, now);
		else if (s.removed === false && s.action === 'update') restoreItem(handle, 'service', s.id, actor, now);
		if (s.reviewedAt && s.reviewedAt <= now.toISOString()) reviewService(handle, s.id, actor, new Date(s.reviewedAt));
	}
	for (const item of [...plan.organizations, ...plan.locations, ...plan.services]) {
		if (item.action === 'add') added += 1;
		else if (item.action === 'update') updated += 1;
	}
	return { added, updated };
}
