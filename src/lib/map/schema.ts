// Validation of the social map: what an editor types, and what is read back from any peer.
import * as v from 'valibot';
import { bounded, id, isoDate, str } from '../automerge/fields.ts';
import { WEEKDAYS } from '../agenda/recurrence.ts';
import { LANGUAGES } from './document.ts';
import { safeHref } from '../validation/link.ts';

const text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, 'too_long'));
const required = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'required'), v.maxLength(max, 'too_long'));
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;
const phone = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || PHONE.test(s), 'phone'));
const email = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), 'email'));
const website = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || /^https?:\/\/[^\s]+\.[^\s]+$/.test(s), 'website'));
const clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time'));
const coordinate = (min: number, max: number) => v.optional(v.pipe(v.number('number'), v.minValue(min, 'number'), v.maxValue(max, 'number')));

export const ScheduleInput = v.pipe(
	v.object({
		freq: v.picklist(['WEEKLY', 'MONTHLY'] as const),
		days: v.pipe(v.array(v.picklist(WEEKDAYS)), v.minLength(1, 'required')),
		/** For monthly: 1–4 or -1 (last). */
		nth: v.optional(v.picklist([1, 2, 3, 4, -1] as const)),
		opensAt: clock,
		closesAt: clock,
		note: text(200)
	}),
	v.forward(v.check((s) => s.closesAt > s.opensAt, 'time_order'), ['closesAt']),
	v.forward(v.check((s) => s.freq === 'WEEKLY' || (s.nth !== undefined && s.days.length === 1), 'required'), ['nth'])
);
export type ScheduleInput = v.InferOutput<typeof ScheduleInput>;

export const OrganizationInput = v.object({
	name: required(120),
	description: text(2000),
	email,
	website,
	phone
});
export type OrganizationInput = v.InferOutput<typeof OrganizationInput>;

export const LocationInput = v.object({
	name: required(120),
	street: text(120),
	postcode: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || /^\d{4}\s?[A-Za-z]{2}$/.test(s), 'postcode')),
	city: text(80),
	lat: coordinate(-90, 90),
	lon: coordinate(-180, 180),
	accessibility: text(300),
	transport: text(300)
});
export type LocationInput = v.InferOutput<typeof LocationInput>;

export const ServiceInput = v.object({
	name: required(120),
	organization: v.pipe(v.string(), v.minLength(1, 'required')),
	description: text(3000),
	forWhom: text(1000),
	howToApply: text(1000),
	themes: v.array(v.pipe(v.string(), v.maxLength(40))),
	free: v.boolean(),
	fees: text(200),
	languages: v.array(v.picklist(LANGUAGES)),
	email,
	website,
	phone,
	phoneNote: text(120),
	schedules: v.array(ScheduleInput),
	accessibility: text(300),
	locations: v.array(v.string())
});
export type ServiceInput = v.InferOutput<typeof ServiceInput>;

// --- Read back from peers ------------------------------------------------------------------------

export const StampView = v.object({ by: id, actedBy: v.optional(id), at: isoDate });
export type Stamp = v.InferOutput<typeof StampView>;
const removal = v.fallback(v.nullish(v.object({ by: id, actedBy: v.optional(id), at: isoDate, reason: v.fallback(bounded(300), '') })), null);
const number = (min: number, max: number) => v.optional(v.pipe(v.number(), v.minValue(min), v.maxValue(max)));
/** A website from a peer: only a web, e-mail or phone link, else none (see validation/link.ts). */
const peerLink = v.fallback(v.pipe(bounded(300), v.transform(safeHref)), '');
const keys = v.pipe(
	v.fallback(v.record(v.string(), v.unknown()), {}),
	v.transform((m) => Object.keys(m).filter((k) => m[k] === true))
);

export const OrganizationView = v.object({
	id,
	name: v.pipe(str, v.minLength(1), v.maxLength(200)),
	description: v.fallback(bounded(5000), ''),
	email: v.fallback(bounded(200), ''),
	website: peerLink,
	phone: v.fallback(bounded(40), ''),
	created: StampView,
	updated: StampView,
	removed: removal
});
export type Organization = v.InferOutput<typeof OrganizationView>;

export const ScheduleView = v.object({
	id,
	freq: v.pipe(str, v.picklist(['WEEKLY', 'MONTHLY'] as const)),
	byday: v.pipe(
		str,
		v.transform((s) => s.split(',')),
		v.check((days) => days.length > 0 && days.every((d) => (WEEKDAYS as readonly string[]).includes(d)))
	),
	nth: v.optional(v.picklist([1, 2, 3, 4, -1] as const)),
	opensAt: v.pipe(str, v.regex(/^([01]\d|2[0-3]):[0-5]\d$/)),
	closesAt: v.pipe(str, v.regex(/^([01]\d|2[0-4]):[0-5]\d$/)),
	note: v.fallback(bounded(300), '')
});
export type Schedule = v.InferOutput<typeof ScheduleView>;

export const PhoneView = v.object({ id, number: bounded(40), description: v.fallback(bounded(200), '') });

export const ServiceCore = v.object({
	id,
	organization: id,
	name: v.pipe(str, v.minLength(1), v.maxLength(200)),
	description: v.fallback(bounded(5000), ''),
	forWhom: v.fallback(bounded(2000), ''),
	howToApply: v.fallback(bounded(2000), ''),
	themes: keys,
	free: v.fallback(v.boolean(), false),
	fees: v.fallback(bounded(300), ''),
	languages: keys,
	email: v.fallback(bounded(200), ''),
	website: peerLink,
	accessibility: v.fallback(bounded(500), ''),
	reviewed: StampView,
	created: StampView,
	updated: StampView,
	removed: removal
});

export const LocationView = v.object({
	id,
	name: v.pipe(str, v.minLength(1), v.maxLength(200)),
	street: v.fallback(bounded(200), ''),
	postcode: v.fallback(bounded(20), ''),
	city: v.fallback(bounded(100), ''),
	lat: number(-90, 90),
	lon: number(-180, 180),
	accessibility: v.fallback(bounded(500), ''),
	transport: v.fallback(bounded(500), ''),
	created: StampView,
	updated: StampView,
	removed: removal
});
export type Location = v.InferOutput<typeof LocationView>;

export const ServiceAtLocationView = v.object({ id, service: id, location: id, removed: removal });
