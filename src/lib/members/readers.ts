// Whom to seal a private text to, from member ids: each member's published key; a resident
// without a device reads through their intermediary's. Used for contact details, consent records
// and conversations alike.
import type { Reader } from '../crypto/sealed.ts';
import type { Member } from './schema.ts';

/**
 * `own` is this device's member and newest key: it stands in for a key the profile does not
 * publish yet (the first moments after joining), so the writer can always read back what they wrote.
 */
export function readersFor(ids: readonly string[], members: readonly Member[], own?: Reader): Reader[] {
	const readers = new Map<string, Reader>();
	for (const id of ids) {
		const member = members.find((m) => m.id === id);
		const holder = member?.managedBy ?? id;
		if (own && holder === own.member) {
			readers.set(holder, own);
			continue;
		}
		const key = members.find((m) => m.id === holder)?.publicKey;
		if (key) readers.set(holder, { member: holder, ...key });
	}
	return [...readers.values()];
}
