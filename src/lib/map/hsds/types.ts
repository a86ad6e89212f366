// The records of Open Referral HSDS 3.0 as this map writes them: the four tables (organizations,
// services, locations, service_at_locations) with phones, schedules, languages, themes and costs
// inside services, as the specification nests them.

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
