// Deleting a neighbourhood from this device from a page: notifications off (the relay told, if it
// can be reached), the open connection closed, then everything stored deleted (forget.ts).
import { switchOff } from '../notify/device-push.ts';
import { forgetOnDevice, type Forgotten } from './forget.ts';
import type { Membership } from './memberships.ts';
import { neighbourhoods } from './neighbourhoods.svelte.ts';

/** After `neighbourhoods.forget`: its connection is closed, so its database can go. */
export const deleteStored = (root: string): Promise<Forgotten> => forgetOnDevice(root, { local: localStorage, databases: indexedDB });

/** For a neighbourhood this device may no longer reach: nothing waits on the relay for long. */
export async function clearFromDevice(membership: Membership): Promise<Forgotten> {
	await switchOff(membership, { waitAtMost: 3000 }).catch(() => undefined);
	await neighbourhoods.forget(membership.root);
	return deleteStored(membership.root);
}
