// A member's profile goes into the neighbourhood's member list once the device is let in: at once
// with an open ticket, or after a manager's approval for a member who waited.
import type { Connection } from '../neighbourhood/connection.svelte.ts';
import { type ProfileInput, type SealedContact } from '../members/mutations.ts';
import { checkProfile } from '../members/schema.ts';

/**
 * `seal` seals the phone number and street to the circle chosen, before anything is written. True
 * once the profile is on the list and stored on this device.
 */
export async function joinedProfile(
	connection: Connection,
	memberId: string,
	profile: unknown,
	seal: (profile: ProfileInput) => Promise<SealedContact>
): Promise<boolean> {
	const checked = checkProfile(profile);
	if (!checked.ok) return false;
	// A second device, or a profile written before a reload: never overwrite what is there. The
	// action checks again where the document is; this spares sealing what is not written.
	const read = await connection.membersRead();
	if (read?.items.some((m) => m.id === memberId)) return true;
	const sealed = await seal(checked.value);
	return connection.membersAct('join', memberId, checked.value, new Date(), sealed);
}
