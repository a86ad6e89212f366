// The social map as stored, shaped after Open Referral HSDS 3.0: organisations, their services,
// locations, and which service is offered where. It changes slowly, so it is one document,
// created with the neighbourhood. Descriptions are text that editors change together; the rest
// is immutable values. Nothing is deleted: removal is a flag with who and when.
import type { ImmutableString } from '@automerge/automerge/slim';

export const DEFAULT_THEMES = [
	'zorg',
	'welzijn',
	'wonen',
	'vervoer',
	'geldzaken',
	'ontmoeting',
	'mantelzorg',
	'dementie',
	'digitale-hulp'
] as const;

export const LANGUAGES = ['nl', 'en', 'tr', 'ar', 'pl', 'de', 'fy', 'pap', 'zgh', 'ti', 'uk'] as const;

export interface Stamp {
	by: ImmutableString;
	actedBy?: ImmutableString;
	at: ImmutableString;
}

/** A removal (reason required); `null` once restored. */
export type Removal = (Stamp & { reason: ImmutableString }) | null;

export interface OrganizationDoc {
	id: ImmutableString;
	name: ImmutableString;
	description: string;
	email: ImmutableString;
	website: ImmutableString;
	phone: ImmutableString;
	created: Stamp;
	updated: Stamp;
	removed: Removal;
}

/** Opening hours as RFC 5545 parts (HSDS `schedule`): weekly on days, or monthly on the nth weekday. */
export interface ScheduleDoc {
	id: ImmutableString;
	freq: ImmutableString;
	/** 'MO,TU,WE' for weekly; one day for monthly ('TU' with nth 2: every second Tuesday). */
	byday: ImmutableString;
	nth?: number;
	opensAt: ImmutableString;
	closesAt: ImmutableString;
	note: ImmutableString;
}

export interface PhoneDoc {
	id: ImmutableString;
	number: ImmutableString;
	description: ImmutableString;
}

export interface ServiceDoc {
	id: ImmutableString;
	organization: ImmutableString;
	name: ImmutableString;
	/** Text: what it offers. */
	description: string;
	/**
	 * For whom (HSDS eligibility_description) and how to apply (application_process): short,
	 * rarely edited at once, so immutable; only the description is co-edited text, which keeps
	 * a large map quick to open.
	 */
	forWhom: ImmutableString;
	howToApply: ImmutableString;
	themes: Record<string, true>;
	free: boolean;
	fees: ImmutableString;
	languages: Record<string, true>;
	email: ImmutableString;
	website: ImmutableString;
	phones: Record<string, PhoneDoc>;
	schedules: Record<string, ScheduleDoc>;
	accessibility: ImmutableString;
	/** "Laatst gecontroleerd op … door …" (HSDS assured_date). */
	reviewed: Stamp;
	created: Stamp;
	updated: Stamp;
	removed: Removal;
}

export interface LocationDoc {
	id: ImmutableString;
	name: ImmutableString;
	street: ImmutableString;
	postcode: ImmutableString;
	city: ImmutableString;
	lat?: number;
	lon?: number;
	accessibility: ImmutableString;
	transport: ImmutableString;
	created: Stamp;
	updated: Stamp;
	removed: Removal;
}

/** A service offered at a location (HSDS service_at_location). */
export interface ServiceAtLocationDoc {
	id: ImmutableString;
	service: ImmutableString;
	location: ImmutableString;
	removed: Removal;
}

export interface MapDoc {
	organizations: Record<string, OrganizationDoc>;
	services: Record<string, ServiceDoc>;
	locations: Record<string, LocationDoc>;
	serviceAtLocations: Record<string, ServiceAtLocationDoc>;
	/** Themes offered for new services; a list so two managers' additions both stay. */
	themes: ImmutableString[];
	/** Where the map centres and which tile server draws it. */
	settings: { centre: { lat: number; lon: number } | null; tiles: ImmutableString };
	/** Who changed what, when: one immutable JSON line per change. */
	changes: Record<string, ImmutableString>;
}
