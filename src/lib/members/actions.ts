// What a page may do to the members document by name, wherever it is open: in the documents worker
// (automerge/background-repo.ts), which reads it so that its arrival (400 profiles: a quarter of a
// second on a cheap phone) never stalls a tap, or on the page where there is no worker. Each is a
// mutation of mutations.ts; arguments travel as plain data.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import type { MembersDoc } from './document.ts';
import { addManaged, join, leave, publishKey, resealContact, updateProfile, type ProfileInput, type SealedContact } from './mutations.ts';

/**
 * Joining writes the profile only when there is none: a second device of the member, or a profile
 * written before a reload, is never overwritten. Checked where the document is, as the page's view
 * may be a moment behind. True when the member is on the list now.
 */
function joinOnce(handle: DocHandle<MembersDoc>, id: string, profile: ProfileInput, now = new Date(), sealed: SealedContact = {}): boolean {
	if (handle.doc()?.members?.[id] === undefined) join(handle, id, profile, now, sealed);
	return true;
}

export const membersActions = { join: joinOnce, updateProfile, resealContact, leave, addManaged, publishKey };

export type MembersActions = typeof membersActions;
