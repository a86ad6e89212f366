// A member's profile goes into the neighbourhood's member list once the device is let in: at once
// with an open ticket, or after a manager's approval for a member who waited.
import type { Connection } from '../automerge/connection.svelte.ts';
import { checkProfile, join, type ProfileInput, type SealedContact } from '../members/mutations.ts';
import { findMember } from '../members/view.ts';

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
