// Sealing a profile's phone number and street to the circle its owner chose, on the device of the
// owner (or of the intermediary of a resident without a device), and keeping that seal current as
// the circle changes. The rules of who reads are in ../members/contact.ts; this module only knows
// where this device finds the keys and the people.
import { currentKey, type KeyRing } from '../crypto/keys.ts';
import { type Reader } from '../crypto/sealed.ts';
import { open, seal } from '../crypto/sealing.ts';
import { acceptedWith, CONTACT_FIELDS, contactContext, contactReaderIds, stale, visibilityOf, type Agreement, type ContactField } from '../members/contact.ts';
import { readersFor } from '../members/readers.ts';
import type { SealedContact } from '../members/mutations.ts';
import type { Member, ProfileInput } from '../members/schema.ts';
import type { CurrentView } from './current.ts';
import { consentContext } from '../members/consent.ts';

export interface Circle {
	members: readonly Member[];
	managers: readonly string[];
	posts: readonly Agreement[];
	/** This device's member's ring. */
	ring: KeyRing | undefined;
}

export const ownReader = (ring: KeyRing | undefined): Reader | undefined => (ring ? { member: ring.member, ...currentKey(ring) } : undefined);

function circleReaders(subject: Pick<Member, 'id' | 'managedBy'>, visibility: Member['phoneVisibility'], circle: Circle): Reader[] {
	const ids = contactReaderIds(subject, visibility, { managers: circle.managers, accepted: acceptedWith(subject.id, circle.posts) });
	return readersFor(ids, circle.members, ownReader(circle.ring));
}

/** The fields of a profile form that are not for everyone, sealed to their readers. */
export async function sealContact(profile: ProfileInput, subject: Pick<Member, 'id' | 'managedBy'>, circle: Circle): Promise<SealedContact> {
	const sealed: SealedContact = {};
	for (const field of CONTACT_FIELDS) {
		const visibility = visibilityOf({ phoneVisibility: profile.phoneVisibility, areaVisibility: profile.areaVisibility ?? 'members' }, field);
		const value = profile[field];
		if (visibility === 'members' || !value) continue;
		const readers = circleReaders(subject, visibility, circle);
		if (readers.length > 0) sealed[field] = await seal(value, readers, contactContext(subject.id, field));
	}
	return sealed;
}

/** A profile's own values, opened on this device: to fill the form for editing. */
export async function openContact(member: Member, ring: KeyRing | undefined): Promise<Partial<Record<ContactField, string>>> {
	const opened: Partial<Record<ContactField, string>> = {};
	if (!ring) return opened;
	for (const field of CONTACT_FIELDS) {
		const sealed = field === 'phone' ? member.phoneSealed : member.areaSealed;
		if (!sealed) continue;
		const text = await open(sealed, [ring], contactContext(member.id, field));
		if (text !== undefined) opened[field] = text;
	}
	return opened;
}

/**
 * The fields to seal again: sealed to other readers than the circle now holds, or (a profile from
 * before sealing) still plain while narrower than everyone.
 */
export async function resealed(member: Member, circle: Circle): Promise<{ field: ContactField; sealed: string }[]> {
	const out: { field: ContactField; sealed: string }[] = [];
	for (const field of CONTACT_FIELDS) {
		const visibility = visibilityOf(member, field);
		if (visibility === 'members') continue;
		const readers = circleReaders(member, visibility, circle);
		if (readers.length === 0) continue;
		const current = field === 'phone' ? member.phoneSealed : member.areaSealed;
		if (current && !stale(current, readers)) continue;
		const plain = current ? await open(current, circle.ring ? [circle.ring] : [], contactContext(member.id, field)) : member[field];
		if (!plain) continue;
		out.push({ field, sealed: await seal(plain, readers, contactContext(member.id, field)) });
	}
	return out;
}

/** Whether any of these people keep a field to those they agreed help with: only theirs need the board's posts. */
export const keepsToAgreed = (people: readonly Pick<Member, 'phoneVisibility' | 'areaVisibility'>[]): boolean =>
	people.some((person) => CONTACT_FIELDS.some((field) => visibilityOf(person, field) === 'accepted'));

/**
 * The circle as the current neighbourhood on this device knows it. Without `agreements` it holds no
 * posts: reading them brings every year of the board to the page, which a circle of managers or of
 * the person alone has no use for.
 */
export const circleOf = (view: CurrentView, agreements = true): Circle => ({
	members: view.connection.everyone?.items ?? view.members,
	managers: view.neighbourhood.managers,
	posts: agreements ? view.posts.items : [],
	ring: view.membership.ring
});

/**
 * A managed resident's consent record (when, how), sealed to the neighbourhood's managers and the
 * intermediary recording it; undefined when none of them has a key yet (then it is kept plain).
 */
export async function sealConsent(record: { at: string; how: string }, subject: { id: string; managedBy: string }, circle: Circle): Promise<string | undefined> {
	const readers = readersFor([subject.managedBy, ...circle.managers], circle.members, ownReader(circle.ring));
	return readers.length > 0 ? seal(JSON.stringify(record), readers, consentContext(subject.id)) : undefined;
}
