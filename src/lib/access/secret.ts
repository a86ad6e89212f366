// The shape of every secret the relay hands out (a device's credential, a ticket to join, a
// device-link code): `<id>.<secret>`. The id finds the record without a search over all secrets;
// the secret part is compared (hashed, in constant time) by the relay only.
import * as v from 'valibot';

const ID = /^[A-Za-z0-9_-]{8,32}$/;
const SECRET = /^[A-Za-z0-9_-]{22,86}$/;

export const SecretSchema = v.pipe(
	v.string(),
	v.maxLength(120),
	v.check((value) => parseSecret(value) !== undefined, 'not a secret')
);

export interface ParsedSecret {
	id: string;
	secret: string;
}

export function parseSecret(value: string): ParsedSecret | undefined {
	const at = value.indexOf('.');
	if (at < 0) return undefined;
	const id = value.slice(0, at);
	const secret = value.slice(at + 1);
	return ID.test(id) && SECRET.test(secret) ? { id, secret } : undefined;
}

/**
 * A device's peer ids start with its device id, so the relay can tell whose a peer id is and no
 * member can take over another's (they see each other's peer ids in presence messages).
 */
export const peerIdFor = (deviceId: string, random: string): string => `${deviceId}~${random}`;
export const deviceOfPeer = (peerId: string): string | undefined => {
	const at = peerId.indexOf('~');
	return at > 0 ? peerId.slice(0, at) : undefined;
};
