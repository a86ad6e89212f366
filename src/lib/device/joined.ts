// A member's profile goes into the neighbourhood's member list once the device is let in: at once
// with an open ticket, or after a manager's approval for a member who waited.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { Connection } from '../neighbourhood/connection.svelte.ts';
import type { MembersDoc } from '../members/document.ts';
import { checkProfile, join, type ProfileInput, type SealedContact } from '../members/mutations.ts';
import { findMember, type Member } from '../members/view.ts';

/** `seal` seals the phone number and street to the circle chosen, before anything is written. */
export async function joinedProfile(
	connection: Connection,
	memberId: string,
	profile: unknown,
	seal: (profile: ProfileInput) => Promise<SealedContact>
): Promise<boolean> {
	const checked = checkProfile(profile);
	if (!checked.ok) return false;
	const members = await connection.membersHandle();
	// A second device, or a profile written before a reload: never overwrite what is there.
	if (findMember(members.doc(), memberId)) return true;
	const sealed = await seal(checked.value);
	if (findMember(members.doc(), memberId)) return true;
	join(members, memberId, checked.value, new Date(), sealed);
	return true;
}

/** A linked device may open before its member's profile arrived from the relay: wait for it a while. */
export function profileArriving(members: DocHandle<MembersDoc>, memberId: string, waitMs = 60_000): Promise<Member | undefined> {
	const found = findMember(members.doc(), memberId);
	if (found) return Promise.resolve(found);
	return new Promise((resolve) => {
		const done = (member: Member | undefined) => {
			clearTimeout(timer);
			members.off('change', check);
			resolve(member);
		};
		const check = () => {
			const member = findMember(members.doc(), memberId);
			if (member) done(member);
		};
		const timer = setTimeout(() => done(undefined), waitMs);
		members.on('change', check);
	});
}
