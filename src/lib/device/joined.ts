// A member's profile goes into the neighbourhood's member list once the device is let in: at once
// with an open ticket, or after a manager's approval for a member who waited.
import type { Connection } from '../automerge/connection.svelte.ts';
import { checkProfile, join } from '../members/mutations.ts';
import { findMember } from '../members/view.ts';

export async function joinedProfile(connection: Connection, memberId: string, profile: unknown): Promise<boolean> {
	const checked = checkProfile(profile);
	if (!checked.ok) return false;
	const members = await connection.membersHandle();
	// A second device, or a profile written before a reload: never overwrite what is there.
	if (findMember(members.doc(), memberId)) return true;
	join(members, memberId, checked.value);
	return true;
}
