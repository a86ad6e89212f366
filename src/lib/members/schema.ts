import * as v from 'valibot';
import { id, isoDate, str } from '../automerge/fields.ts';
import { PHONE } from '../neighbourhood/schema.ts';
import { CONSENT_HOW, PHONE_VISIBILITY, type PhoneVisibility } from './document.ts';
import { parsePublicKey } from '../crypto/keys.ts';
import { isSealed } from '../crypto/sealed.ts';
import { isLine, isPhone, lineInput, requiredLineInput } from '../validation/plain-text.ts';
import { line } from '../validation/stored-text.ts';
import { check, type Invalid, type Valid } from '../validation/check.ts';

/** What a resident types in the profile form. Error messages are message keys. */
export const ProfileInput = v.object({
	name: requiredLineInput(60),
	area: lineInput(80),
	phone: v.pipe(v.string(), v.trim(), v.check((s) => s === '' || PHONE.test(s), 'phone')),
	phoneVisibility: v.picklist(PHONE_VISIBILITY, 'required'),
	areaVisibility: v.optional(v.picklist(PHONE_VISIBILITY, 'required'), 'members'),
	helpWith: v.pipe(v.array(lineInput(40)), v.maxLength(20)),
	helpNote: lineInput(200)
});
/** Profiles from before the street had its own choice have none: it was shown to everyone. */
export type ProfileInput = Omit<v.InferOutput<typeof ProfileInput>, 'areaVisibility'> & { areaVisibility?: PhoneVisibility };

/** A profile form as typed, checked: what to store, or a message key per field. */
export const checkProfile = (input: unknown): Valid<ProfileInput> | Invalid => check(ProfileInput, input);

/** A stored profile as the app reads it; anything else in the map is skipped and counted. */
export const MemberView = v.object({
	id,
	name: v.pipe(line(200), v.transform((s) => s.trim()), v.minLength(1)),
	area: v.fallback(line(200), ''),
	// Shown to neighbours and dialled from a tel: link: only what a phone number is made of.
	phone: v.fallback(v.pipe(str, v.check(isPhone)), ''),
	phoneVisibility: v.fallback(v.pipe(str, v.picklist(PHONE_VISIBILITY)), 'nobody'),
	areaVisibility: v.fallback(v.pipe(str, v.picklist(PHONE_VISIBILITY)), 'members'),
	phoneSealed: v.fallback(v.optional(v.pipe(str, v.check(isSealed))), undefined),
	areaSealed: v.fallback(v.optional(v.pipe(str, v.check(isSealed))), undefined),
	helpWith: v.pipe(
		v.fallback(v.array(v.unknown()), []),
		v.transform((list) =>
			list.map((c) => v.safeParse(str, c)).flatMap((r) => (r.success && r.output.length <= 40 && isLine(r.output) ? [r.output] : []))
		)
	),
	helpNote: v.fallback(line(1000), ''),
	joinedAt: isoDate,
	updatedAt: v.fallback(isoDate, ''),
	leftAt: v.optional(isoDate),
	erasedAt: v.optional(isoDate),
	managedBy: v.optional(id),
	consent: v.fallback(
		v.optional(
			v.object({
				by: id,
				at: v.optional(isoDate),
				how: v.optional(v.pipe(str, v.picklist(CONSENT_HOW))),
				sealed: v.optional(v.pipe(str, v.check(isSealed)))
			})
		),
		undefined
	),
	publicKey: v.fallback(v.optional(v.pipe(str, v.transform(parsePublicKey))), undefined)
});
export type Member = v.InferOutput<typeof MemberView>;

/** The consent a volunteer records when creating a profile for someone without a device. */
export const ConsentInput = v.object({
	given: v.literal(true, 'consent'),
	how: v.picklist(CONSENT_HOW, 'required')
});
