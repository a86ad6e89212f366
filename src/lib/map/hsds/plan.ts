// An import plan: what importing a file would add, change and refuse, worked out before anything is
// written, so a manager sees it first. The HSDS import and the spreadsheet import (../csv.ts) make
// the same plan, so both give the same report and change the map through the same mutations; the
// rules for turning foreign text into form input that both follow are here too.
import type { LocationInput, OrganizationInput, ServiceInput } from '../mutations.ts';

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
