// A member's key ring: X25519 key pairs, numbered. Everything sealed to a member is sealed to the
// newest key their profile publishes; each of the member's devices holds the whole ring, so a
// device linked later reads older messages too. When a device is removed, the member's other
// device adds a new key (`rotate`): what is sealed afterwards is out of the removed device's reach.
import * as v from 'valibot';
import { fromBase64url, toBase64url } from './base64url.ts';

const B64 = /^[A-Za-z0-9_-]{43}$/;

export const KeyPairSchema = v.object({
	n: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000)),
	pub: v.pipe(v.string(), v.regex(B64)),
	priv: v.pipe(v.string(), v.regex(B64))
});
export type KeyPair = v.InferOutput<typeof KeyPairSchema>;

export const KeyRingSchema = v.object({
	member: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
	keys: v.pipe(v.array(KeyPairSchema), v.minLength(1), v.maxLength(1000))
});
export type KeyRing = v.InferOutput<typeof KeyRingSchema>;

/** A public key as a profile publishes it: number and key, e.g. `2.<43 characters>`. */
export interface PublicKey {
	n: number;
	pub: string;
}

export async function newKeyPair(n: number): Promise<KeyPair> {
	// The cipher suite comes when a key is made, not with the first page: a device reads its stored
	// ring (the schemas above) before it paints, but makes keys only in a neighbourhood.
	const suite = (await import('./suite.ts')).hpke();
	const pair = await suite.kem.generateKeyPair();
	return {
		n,
		pub: toBase64url(await suite.kem.serializePublicKey(pair.publicKey)),
		priv: toBase64url(await suite.kem.serializePrivateKey(pair.privateKey))
	};
}

export async function startRing(member: string): Promise<KeyRing> {
	return { member, keys: [await newKeyPair(1)] };
}

export const currentKey = (ring: KeyRing): KeyPair => ring.keys.reduce((a, b) => (b.n > a.n ? b : a));

/** The ring with one new, newest key. */
export async function rotate(ring: KeyRing): Promise<KeyRing> {
	return { member: ring.member, keys: [...ring.keys, await newKeyPair(currentKey(ring).n + 1)] };
}

/** Two copies of one member's ring (say, this device's and one sent by another device), joined. */
export function mergeRings(a: KeyRing, b: KeyRing): KeyRing {
	if (a.member !== b.member) return a;
	const byNumber = new Map(a.keys.map((k) => [k.n, k]));
	for (const key of b.keys) if (!byNumber.has(key.n)) byNumber.set(key.n, key);
	return { member: a.member, keys: [...byNumber.values()].sort((x, y) => x.n - y.n) };
}

export const publicKeyText = (key: PublicKey): string => `${key.n}.${key.pub}`;

/** A published key as read from a profile, or undefined for anything else. */
export function parsePublicKey(text: string): PublicKey | undefined {
	const match = /^(\d{1,7})\.([A-Za-z0-9_-]{43})$/.exec(text);
	if (!match || fromBase64url(match[2]!)?.length !== 32) return undefined;
	const n = Number(match[1]);
	return n >= 1 ? { n, pub: match[2]! } : undefined;
}
