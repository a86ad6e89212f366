// Every change to the social map. Each records who made it and when (on the item and in the
// change log), writes only what changed, and never deletes: removal is a flag a manager undoes.
import { updateText } from '@automerge/automerge/slim';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { writer, type BasedHandle as Based } from '../automerge/based.ts';
import { addName, removeName } from '../automerge/name-list.ts';
import { randomId } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { Actor } from '../help/document.ts';
import { check } from '../validation/check.ts';
import type { LocationDoc, MapDoc, OrganizationDoc, ScheduleDoc, ServiceDoc, Stamp } from './document.ts';
import { LocationInput, OrganizationInput, ServiceInput } from './schema.ts';
import { cleanLines, clip } from '../validation/plain-text.ts';

export type { Actor, LocationInput, OrganizationInput, ServiceInput };

/** A DocHandle in the app; anything that applies a change in tests and benchmarks. */
export type MapHandle = Pick<DocHandle<MapDoc>, 'change'>;

/** A map handle that can save a form as of when it was opened. */
export type BasedHandle<H> = Based<MapDoc, H>;

type Kind = 'organization' | 'service' | 'location';

export const checkOrganization = (input: unknown) => check(OrganizationInput, input);
export const checkLocation = (input: unknown) => check(LocationInput, input);
export const checkService = (input: unknown) => check(ServiceInput, input);

export const blankOrganization = (): OrganizationInput => ({ name: '', description: '', email: '', website: '', phone: '' });
export const blankLocation = (): LocationInput => ({ name: '', street: '', postcode: '', city: '', accessibility: '', transport: '' });
export const blankService = (organization = ''): ServiceInput => ({
	name: '',
	organization,
	description: '',
	forWhom: '',
	howToApply: '',
	themes: [],
	free: true,
	fees: '',
	languages: ['nl'],
	email: '',
	website: '',
	phone: '',
	phoneNote: '',
	schedules: [],
	accessibility: '',
	locations: []
});

function stamp(actor: Actor, at: string): Stamp {
	const value: Stamp = { by: imm(actor.memberId), at: imm(at) };
	if (actor.actedBy && actor.actedBy !== actor.memberId) value.actedBy = imm(actor.actedBy);
	return value;
}

function log(doc: MapDoc, actor: Actor, at: string, kind: Kind, id: string, action: string, fields?: string[]) {
	const entry: Record<string, unknown> = { at, by: actor.memberId, kind, id, action };
	if (actor.actedBy && actor.actedBy !== actor.memberId) entry.actedBy = actor.actedBy;
	if (fields?.length) entry.fields = fields;
	doc.changes ??= {};
	doc.changes[randomId()] = imm(JSON.stringify(entry));
}

/** Sets plain fields that differ; returns their names. */
function assign<T extends object>(target: T, values: Record<string, string>): string[] {
	const changed: string[] = [];
	const record = target as Record<string, unknown>;
	for (const [field, value] of Object.entries(values)) {
		if (String(record[field] ?? '') !== value) {
			record[field] = imm(value);
			changed.push(field);
		}
	}
	return changed;
}

function text<T extends object>(target: T, field: string, value: string): boolean {
	if ((target as Record<string, unknown>)[field] === value) return false;
	updateText(target as Record<string, unknown>, [field], value);
	return true;
}

export function createOrganization(handle: MapHandle, input: OrganizationInput, actor: Actor, now = new Date(), id = randomId()): string {
	const at = now.toISOString();
	handle.change((doc) => {
		const org: OrganizationDoc = {
			id: imm(id),
			name: imm(input.name),
			description: input.description,
			email: imm(input.email),
			website: imm(input.website),
			phone: imm(input.phone),
			created: stamp(actor, at),
			updated: stamp(actor, at),
			removed: null
		};
		doc.organizations[id] = org;
		log(doc, actor, at, 'organization', id, 'created');
	});
	return id;
}

export function editOrganization<H>(
	handle: MapHandle | BasedHandle<H>,
	id: string,
	input: OrganizationInput,
	actor: Actor,
	now = new Date(),
	base?: H
): string[] {
	const at = now.toISOString();
	let changed: string[] = [];
	writer(handle, base)((doc) => {
		const org = doc.organizations[id];
		if (!org) return;
		changed = assign(org, { name: input.name, email: input.email, website: input.website, phone: input.phone });
		if (text(org, 'description', input.description)) changed.push('description');
		if (!changed.length) return;
		org.updated = stamp(actor, at);
		log(doc, actor, at, 'organization', id, 'edited', changed);
	});
	return changed;
}

function locationFields(input: LocationInput) {
	return {
		name: input.name,
		street: input.street,
		postcode: input.postcode.toUpperCase().replace(/^(\d{4})\s?/, '$1 '),
		city: input.city,
		accessibility: input.accessibility,
		transport: input.transport
	};
}

export function createLocation(handle: MapHandle, input: LocationInput, actor: Actor, now = new Date(), id = randomId()): string {
	const at = now.toISOString();
	handle.change((doc) => {
		const fields = locationFields(input);
		const location: LocationDoc = {
			id: imm(id),
			name: imm(fields.name),
			street: imm(fields.street),
			postcode: imm(fields.postcode),
			city: imm(fields.city),
			accessibility: imm(fields.accessibility),
			transport: imm(fields.transport),
			created: stamp(actor, at),
			updated: stamp(actor, at),
			removed: null
		};
		if (input.lat !== undefined && input.lon !== undefined) {
			location.lat = input.lat;
			location.lon = input.lon;
		}
		doc.locations[id] = location;
		log(doc, actor, at, 'location', id, 'created');
	});
	return id;
}

export function editLocation(handle: MapHandle, id: string, input: LocationInput, actor: Actor, now = new Date()): string[] {
	const at = now.toISOString();
	let changed: string[] = [];
	handle.change((doc) => {
		const location = doc.locations[id];
		if (!location) return;
		changed = assign(location, locationFields(input));
		if (location.lat !== input.lat || location.lon !== input.lon) {
			if (input.lat !== undefined && input.lon !== undefined) {
				location.lat = input.lat;
				location.lon = input.lon;
			} else {
				delete location.lat;
				delete location.lon;
			}
			changed.push('coordinates');
		}
		if (!changed.length) return;
		location.updated = stamp(actor, at);
		log(doc, actor, at, 'location', id, 'edited', changed);
	});
	return changed;
}

function scheduleKey(s: { freq: string; days: string[] | string; nth?: number; opensAt: string; closesAt: string; note: string }): string {
	return [s.freq, Array.isArray(s.days) ? s.days.join(',') : s.days, s.nth ?? '', s.opensAt, s.closesAt, s.note].join('|');
}

/** Replaces the schedules when they differ; each schedule is a small immutable record. */
function setSchedules(service: ServiceDoc, input: ServiceInput): boolean {
	const current = Object.values(service.schedules ?? {}).map((s) =>
		scheduleKey({ freq: String(s.freq), days: String(s.byday), nth: s.nth, opensAt: String(s.opensAt), closesAt: String(s.closesAt), note: String(s.note) })
	);
	const next = input.schedules.map((s) => scheduleKey(s));
	if (current.sort().join('\n') === [...next].sort().join('\n')) return false;
	for (const key of Object.keys(service.schedules)) delete service.schedules[key];
	for (const s of input.schedules) {
		const id = randomId();
		const schedule: ScheduleDoc = {
			id: imm(id),
			freq: imm(s.freq),
			byday: imm(s.freq === 'MONTHLY' ? s.days[0] : s.days.join(',')),
			opensAt: imm(s.opensAt),
			closesAt: imm(s.closesAt),
			note: imm(s.note)
		};
		if (s.freq === 'MONTHLY' && s.nth !== undefined) schedule.nth = s.nth;
		service.schedules[id] = schedule;
	}
	return true;
}

function setPhone(service: ServiceDoc, input: ServiceInput): boolean {
	const current = Object.values(service.phones ?? {});
	if (current.length === (input.phone ? 1 : 0) && (!input.phone || (String(current[0].number) === input.phone && String(current[0].description) === input.phoneNote))) {
		return false;
	}
	for (const key of Object.keys(service.phones)) delete service.phones[key];
	if (input.phone) {
		const id = randomId();
		service.phones[id] = { id: imm(id), number: imm(input.phone), description: imm(input.phoneNote) };
	}
	return true;
}

/** Automerge keeps no key "__proto__" (it throws): a theme typed or imported by that name is left out. */
const keepable = (name: string) => name !== '__proto__';

function setFlags(target: Record<string, true>, given: string[]): boolean {
	const values = given.filter(keepable);
	const current = Object.keys(target).sort().join();
	if (current === [...values].sort().join()) return false;
	for (const key of Object.keys(target)) if (!values.includes(key)) delete target[key];
	for (const value of values) target[value] = true;
	return true;
}

function setLocations(doc: MapDoc, serviceId: string, locations: string[], actor: Actor, at: string): boolean {
	let changed = false;
	const links = Object.values(doc.serviceAtLocations).filter((l) => String(l.service) === serviceId);
	for (const link of links) {
		const wanted = locations.includes(String(link.location));
		if (!wanted && !link.removed) {
			link.removed = { ...stamp(actor, at), reason: imm('') };
			changed = true;
		} else if (wanted && link.removed) {
			link.removed = null;
			changed = true;
		}
	}
	for (const location of locations) {
		if (links.some((l) => String(l.location) === location) || !doc.locations[location]) continue;
		const id = randomId();
		doc.serviceAtLocations[id] = { id: imm(id), service: imm(serviceId), location: imm(location), removed: null };
		changed = true;
	}
	return changed;
}

export function createService(handle: MapHandle, input: ServiceInput, actor: Actor, now = new Date(), id = randomId()): string {
	const at = now.toISOString();
	handle.change((doc) => {
		const service: ServiceDoc = {
			id: imm(id),
			organization: imm(input.organization),
			name: imm(input.name),
			description: input.description,
			forWhom: imm(input.forWhom),
			howToApply: imm(input.howToApply),
			themes: {},
			free: input.free,
			fees: imm(input.free ? '' : input.fees),
			languages: {},
			email: imm(input.email),
			website: imm(input.website),
			phones: {},
			schedules: {},
			accessibility: imm(input.accessibility),
			reviewed: stamp(actor, at),
			created: stamp(actor, at),
			updated: stamp(actor, at),
			removed: null
		};
		doc.services[id] = service;
		const stored = doc.services[id];
		setFlags(stored.themes, input.themes);
		setFlags(stored.languages, input.languages);
		setSchedules(stored, input);
		setPhone(stored, input);
		setLocations(doc, id, input.locations, actor, at);
		log(doc, actor, at, 'service', id, 'created');
	});
	return id;
}

/**
 * Saves the form; editing also counts as checking the entry. With `base` (the heads when the
 * form was opened) it is saved as of that moment. Returns the fields that changed.
 */
export function editService<H>(
	handle: MapHandle | BasedHandle<H>,
	id: string,
	input: ServiceInput,
	actor: Actor,
	now = new Date(),
	base?: H
): string[] {
	const at = now.toISOString();
	let changed: string[] = [];
	writer(handle, base)((doc) => {
		const service = doc.services[id];
		if (!service) return;
		changed = assign(service, {
			organization: input.organization,
			name: input.name,
			fees: input.free ? '' : input.fees,
			email: input.email,
			website: input.website,
			accessibility: input.accessibility,
			forWhom: input.forWhom,
			howToApply: input.howToApply
		});
		if (text(service, 'description', input.description)) changed.push('description');
		if (service.free !== input.free) {
			service.free = input.free;
			changed.push('free');
		}
		if (setFlags(service.themes, input.themes)) changed.push('themes');
		if (setFlags(service.languages, input.languages)) changed.push('languages');
		if (setSchedules(service, input)) changed.push('schedules');
		if (setPhone(service, input)) changed.push('phones');
		if (setLocations(doc, id, input.locations, actor, at)) changed.push('locations');
		if (!changed.length) return;
		service.updated = stamp(actor, at);
		service.reviewed = stamp(actor, at);
		log(doc, actor, at, 'service', id, 'edited', changed);
	});
	return changed;
}

/** "Nog juist": checked without changes. */
export function reviewService(handle: MapHandle, id: string, actor: Actor, now = new Date()): void {
	const at = now.toISOString();
	handle.change((doc) => {
		const service = doc.services[id];
		if (!service) return;
		service.reviewed = stamp(actor, at);
		log(doc, actor, at, 'service', id, 'reviewed');
	});
}

export function removeItem(handle: MapHandle, kind: Kind, id: string, reason: string, actor: Actor, now = new Date()): void {
	const at = now.toISOString();
	handle.change((doc) => {
		const item = kind === 'service' ? doc.services[id] : kind === 'location' ? doc.locations[id] : doc.organizations[id];
		if (!item || item.removed) return;
		item.removed = { ...stamp(actor, at), reason: imm(clip(cleanLines(reason).trim(), 300)) };
		log(doc, actor, at, kind, id, 'removed');
	});
}

export function restoreItem(handle: MapHandle, kind: Kind, id: string, actor: Actor, now = new Date()): void {
	const at = now.toISOString();
	handle.change((doc) => {
		const item = kind === 'service' ? doc.services[id] : kind === 'location' ? doc.locations[id] : doc.organizations[id];
		if (!item?.removed) return;
		item.removed = null;
		log(doc, actor, at, kind, id, 'restored');
	});
}

/** Themes offered for new services: a list, so concurrent additions by two managers both stay. */
export function addTheme(handle: MapHandle, theme: string, at?: number): boolean {
	let added = false;
	handle.change((doc) => {
		added = addName(doc.themes, theme, at);
	});
	return added;
}

/** Returns where the theme stood, or -1. */
export function removeTheme(handle: MapHandle, theme: string): number {
	let index = -1;
	handle.change((doc) => {
		index = removeName(doc.themes, theme);
	});
	return index;
}

export function setMapSettings(handle: MapHandle, settings: { centre: { lat: number; lon: number } | null; tiles: string }): void {
	handle.change((doc) => {
		doc.settings.centre = settings.centre;
		if (String(doc.settings.tiles) !== settings.tiles) doc.settings.tiles = imm(settings.tiles);
	});
}
