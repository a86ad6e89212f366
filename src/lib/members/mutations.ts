import type { DocHandle } from '@automerge/automerge-repo/slim';
import { imm } from '../automerge/fields.ts';
import { check, type Invalid, type Valid } from '../validation/check.ts';
import type { ConsentHow, MemberDoc, MembersDoc } from './document.ts';
import { ProfileInput } from './schema.ts';

export type { ProfileInput };

export const checkProfile = (input: unknown): Valid<ProfileInput> | Invalid => check(ProfileInput, input);

export function newMember(id: string, profile: ProfileInput, now: string): MemberDoc {
	return {
		id: imm(id),
		name: imm(profile.name),
		area: imm(profile.area),
		phone: imm(profile.phone),
		phoneVisibility: imm(profile.phoneVisibility),
		helpWith: profile.helpWith.map(imm),
		helpNote: imm(profile.helpNote),
		joinedAt: imm(now),
		updatedAt: imm(now)
	};
}

/** Joining is registering: the device picked `id`, and the profile is all there is. */
export function join(handle: DocHandle<MembersDoc>, id: string, profile: ProfileInput, now = new Date()): void {
	handle.change((doc) => {
		doc.members[id] = newMember(id, profile, now.toISOString());
	});
}

/** Only changed fields are written, so a concurrent edit of another field on another device survives. */
export function updateProfile(handle: DocHandle<MembersDoc>, id: string, profile: ProfileInput, now = new Date()): boolean {
	let found = false;
	handle.change((doc) => {
		const member = doc.members[id];
		if (!member) return;
		found = true;
		const next = newMember(id, profile, now.toISOString());
		for (const key of ['name', 'area', 'phone', 'phoneVisibility', 'helpNote'] as const) {
			if (String(member[key]) !== String(next[key])) member[key] = next[key];
		}
		const helpWith = member.helpWith.map(String);
		if (helpWith.join('\n') !== profile.helpWith.join('\n')) member.helpWith = next.helpWith;
		member.updatedAt = next.updatedAt;
		delete member.leftAt;
	});
	return found;
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
	now = new Date()
): void {
	const at = now.toISOString();
	handle.change((doc) => {
		doc.members[id] = {
			...newMember(id, profile, at),
			managedBy: imm(consent.by),
			consent: { by: imm(consent.by), at: imm(at), how: imm(consent.how) }
		};
	});
}
