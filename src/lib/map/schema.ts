// Validation of the social map: what an editor types, and what is read back from any peer.
import * as v from 'valibot';
import { id, isoDate, str } from '../automerge/fields.ts';
import { WEEKDAYS } from '../agenda/weekdays.ts';
import { LANGUAGES } from './document.ts';
import { safeHref } from '../validation/link.ts';
import { cleanLine, isEmail, isLine, isPhone, lineInput, linesInput, requiredLineInput } from '../validation/plain-text.ts';
import { line, lines } from '../validation/stored-text.ts';

const text = lineInput;
const required = requiredLineInput;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;
const phone = v.pipe(v.string(), v.trim(), v.check((s) => s === '' || PHONE.test(s), 'phone'));
// The same address the map reads back from peers (plain-text.ts), and no shorter or longer.
const email = v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.check(isEmail, 'email'));
const website = v.pipe(
	v.string(),
	v.transform(cleanLine),
	v.trim(),
	v.check((s) => s === '' || (/^https?:\/\/[^\s]+\.[^\s]+$/.test(s) && s.length <= 300 && safeHref(s) === s), 'website')
);
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
	description: linesInput(2000),
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
	description: linesInput(3000),
	forWhom: linesInput(1000),
	howToApply: linesInput(1000),
	themes: v.array(lineInput(40)),
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
const removal = v.fallback(v.nullish(v.object({ by: id, actedBy: v.optional(id), at: isoDate, reason: v.fallback(lines(300), '') })), null);
const number = (min: number, max: number) => v.optional(v.pipe(v.number(), v.minValue(min), v.maxValue(max)));
/** A website from a peer: only a web, e-mail or phone link, else none (see validation/link.ts). */
const peerLink = v.fallback(v.pipe(line(300), v.transform(safeHref)), '');
const peerEmail = v.fallback(v.pipe(str, v.check(isEmail)), '');
const peerPhone = v.fallback(v.pipe(str, v.check(isPhone)), '');
/** Names kept as the keys of a map (themes, languages): a key is text from a peer too. */
const keys = v.pipe(
	v.fallback(v.record(v.string(), v.unknown()), {}),
	v.transform((m) => Object.keys(m).filter((k) => m[k] === true && k.length <= 40 && isLine(k)))
);

export const OrganizationView = v.object({
	id,
	name: v.pipe(line(200), v.minLength(1)),
	description: v.fallback(lines(5000), ''),
	email: peerEmail,
	website: peerLink,
	phone: peerPhone,
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
	note: v.fallback(line(300), '')
});
export type Schedule = v.InferOutput<typeof ScheduleView>;

export const PhoneView = v.object({ id, number: v.pipe(str, v.check(isPhone)), description: v.fallback(line(200), '') });

export const ServiceCore = v.object({
	id,
	organization: id,
	name: v.pipe(line(200), v.minLength(1)),
	description: v.fallback(lines(5000), ''),
	forWhom: v.fallback(lines(2000), ''),
	howToApply: v.fallback(lines(2000), ''),
	themes: keys,
	free: v.fallback(v.boolean(), false),
	fees: v.fallback(line(300), ''),
	languages: keys,
	email: peerEmail,
	website: peerLink,
	accessibility: v.fallback(line(500), ''),
	reviewed: StampView,
	created: StampView,
	updated: StampView,
	removed: removal
});

export const LocationView = v.object({
	id,
	name: v.pipe(line(200), v.minLength(1)),
	street: v.fallback(line(200), ''),
	postcode: v.fallback(line(20), ''),
	city: v.fallback(line(100), ''),
	lat: number(-90, 90),
	lon: number(-180, 180),
	accessibility: v.fallback(line(500), ''),
	transport: v.fallback(line(500), ''),
	created: StampView,
	updated: StampView,
	removed: removal
});
export type Location = v.InferOutput<typeof LocationView>;

export const ServiceAtLocationView = v.object({ id, service: id, location: id, removed: removal });
