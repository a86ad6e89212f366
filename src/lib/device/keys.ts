// This device's part in sealing private things: it keeps its member's key ring (in the membership
// record, next to the credential) and sees to it that the member's profile publishes the ring's
// newest key, so neighbours seal to a key this device holds.
import type { Keyring } from '../access/api.ts';
import { currentKey, mergeRings, newKeyPair, publicKeyText, rotate, startRing, type KeyPair, type KeyRing, type PublicKey } from '../crypto/keys.ts';
import { openRingForDevice, sealRingToDevice } from '../crypto/ring-transfer.ts';
import type { Member } from '../members/view.ts';

/**
 * The ring this device uses. A device without one (joined before keys existed, or linked without
 * the ring) starts its own: numbered after the published key, so it replaces it. Messages sealed
 * to the older key then stay unreadable here, which is the price of not having been given them.
 */
export async function ringForDevice(member: string, held: KeyRing | undefined, published: PublicKey | undefined): Promise<KeyRing> {
	if (held) return held;
	if (!published) return startRing(member);
	return { member, keys: [await newKeyPair(published.n + 1)] };
}

/** The ring's newest key as the profile publishes it, unless the profile already has it or a newer one. */
export function newestToPublish(profile: Member, ring: KeyRing): string | undefined {
	const newest = currentKey(ring);
	if (profile.publicKey && (profile.publicKey.n > newest.n || (profile.publicKey.n === newest.n && profile.publicKey.pub === newest.pub))) return undefined;
	return publicKeyText(newest);
}

/** What a device learns from the relay's keyring answer, and what it sends back. */
export interface KeyringStep {
	ring: KeyRing;
	/** Rings to store on the relay for the member's other devices (none when nothing changed). */
	rings: Record<string, { ring: string; n: number }>;
	rotated: boolean;
}

/**
 * One round with the relay: take in a ring another device sealed to this one; make the new key when
 * the relay asks (a device of the member was removed); and seal the ring to each other device of the
 * member that has an older one. `held` is undefined for a device that has no ring yet.
 */
export async function keyringStep(
	member: string,
	held: KeyRing | undefined,
	published: PublicKey | undefined,
	deviceKey: KeyPair,
	answer: Keyring
): Promise<KeyringStep> {
	const received = answer.ring ? await openRingForDevice(answer.ring.ring, deviceKey) : undefined;
	let ring = held;
	if (received?.member === member) ring = ring ? mergeRings(ring, received) : received;
	ring = await ringForDevice(member, ring, published);
	const rotated = answer.rotate;
	if (rotated) ring = await rotate(ring);
	const newest = currentKey(ring).n;
	const rings: KeyringStep['rings'] = {};
	for (const device of answer.devices) {
		if (!rotated && device.n !== undefined && device.n >= newest) continue;
		rings[device.id] = { ring: await sealRingToDevice(ring, device.boxKey), n: newest };
	}
	return { ring, rings, rotated };
}
