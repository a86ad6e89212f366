import type { DocHandle } from '@automerge/automerge-repo/slim';
import { imm } from '../automerge/immutable.ts';
import type { ConsentHow, MemberDoc, MembersDoc } from './document.ts';
import type { ContactField } from './contact.ts';
import type { ProfileInput } from './schema.ts';

export type { ProfileInput };

/** Phone and street sealed to their readers, for the fields whose visibility is narrower than everyone. */
export type SealedContact = Partial<Record<ContactField, string>>;

export function newMember(id: string, profile: ProfileInput, now: string, sealed: SealedContact = {}): MemberDoc {
	const areaVisibility = profile.areaVisibility ?? 'members';
	return {
		id: imm(id),
		name: imm(profile.name),
		// A field that is not for everyone is never written in plain text, not even once.
		area: imm(areaVisibility === 'members' ? profile.area : ''),
		phone: imm(profile.phoneVisibility === 'members' ? profile.phone : ''),
		phoneVisibility: imm(profile.phoneVisibility),
		areaVisibility: imm(areaVisibility),
		...(sealed.phone && profile.phoneVisibility !== 'members' ? { phoneSealed: imm(sealed.phone) } : {}),
		...(sealed.area && areaVisibility !== 'members' ? { areaSealed: imm(sealed.area) } : {}),
		helpWith: profile.helpWith.map(imm),
		helpNote: imm(profile.helpNote),
		joinedAt: imm(now),
		updatedAt: imm(now)
	};
}

/** Joining is registering: the device picked `id`, and the profile is all there is. */
export function join(handle: DocHandle<MembersDoc>, id: string, profile: ProfileInput, now = new Date(), sealed: SealedContact = {}): void {
	handle.change((doc) => {
		doc.members[id] = newMember(id, profile, now.toISOString(), sealed);
	});
}

/** Only changed fields are written, so a concurrent edit of another field on another device survives. */
export function updateProfile(handle: DocHandle<MembersDoc>, id: string, profile: ProfileInput, now = new Date(), sealed: SealedContact = {}): boolean {
	let found = false;
	handle.change((doc) => {
		const member = doc.members[id];
		if (!member) return;
		found = true;
		const next = newMember(id, profile, now.toISOString(), sealed);
		for (const key of ['name', 'area', 'phone', 'phoneVisibility', 'areaVisibility', 'helpNote'] as const) {
			if (String(member[key] ?? '') !== String(next[key])) member[key] = next[key]!;
		}
		writeSealed(member, next);
		const helpWith = member.helpWith.map(String);
		if (helpWith.join('\n') !== profile.helpWith.join('\n')) member.helpWith = next.helpWith;
		member.updatedAt = next.updatedAt;
		delete member.leftAt;
	});
	return found;
}

function writeSealed(member: MemberDoc, next: MemberDoc) {
	for (const key of ['phoneSealed', 'areaSealed'] as const) {
		const value = next[key];
		if (value === undefined) {
			if (member[key] !== undefined) delete member[key];
		} else if (String(member[key] ?? '') !== String(value)) member[key] = value;
	}
}

/** Seals a field anew to its current readers (the member's own device, when the circle changed). */
export function resealContact(handle: DocHandle<MembersDoc>, id: string, field: ContactField, sealed: string): boolean {
	let written = false;
	handle.change((doc) => {
		const member = doc.members[id];
		if (!member) return;
		member[field] = imm('');
		member[field === 'phone' ? 'phoneSealed' : 'areaSealed'] = imm(sealed);
		written = true;
	});
	return written;
}

/** Leaving clears what could reach the person; the name stays so past actions remain attributable. */
export function leave(handle: DocHandle<MembersDoc>, id: string, now = new Date()): void {
	handle.change((doc) => {
		const member = doc.members[id];
		if (!member) return;
		member.phone = imm('');
		member.area = imm('');
		member.helpWith = [];
		member.helpNote = imm('');
		member.phoneVisibility = imm('nobody');
		if (member.phoneSealed !== undefined) delete member.phoneSealed;
		if (member.areaSealed !== undefined) delete member.areaSealed;
		member.leftAt = imm(now.toISOString());
	});
}

/**
 * A profile for a resident without a device, made by a volunteer, carer or the community manager
 * who records how the resident agreed. Actions for this member then carry `actedBy`.
 */
export function addManaged(
	handle: DocHandle<MembersDoc>,
	id: string,
	profile: ProfileInput,
	consent: { by: string; how: ConsentHow },
	now = new Date(),
	sealed: SealedContact = {},
	/** When and how, sealed to the managers and the intermediary (contact-seal.ts); plain only without keys. */
	consentSealed?: string
): void {
	const at = now.toISOString();
	handle.change((doc) => {
		doc.members[id] = {
			...newMember(id, profile, at, sealed),
			managedBy: imm(consent.by),
			consent: consentSealed ? { by: imm(consent.by), sealed: imm(consentSealed) } : { by: imm(consent.by), at: imm(at), how: imm(consent.how) }
		};
	});
}

/** Puts this member's newest public key on their profile (only their own devices do). */
export function publishKey(handle: DocHandle<MembersDoc>, id: string, key: string): boolean {
	let written = false;
	handle.change((doc) => {
		const member = doc.members[id];
		if (!member || (member.publicKey !== undefined && String(member.publicKey) === key)) return;
		member.publicKey = imm(key);
		written = true;
	});
	return written;
}
