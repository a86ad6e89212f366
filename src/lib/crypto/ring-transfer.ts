// How a member's key ring reaches another of their devices without the relay reading it:
// - when linking a device: sealed under a fresh secret that travels only in the link's fragment
//   (the QR code); the relay keeps the sealed ring with the link code and never sees the secret;
// - after a new key (a device was removed): sealed with HPKE to each remaining device's own key.
import * as v from 'valibot';
import { fromBase64url, toBase64url } from './base64url.ts';
import { KeyRingSchema, type KeyPair, type KeyRing } from './keys.ts';
import { hpke } from './suite.ts';

const encoder = new TextEncoder();
const LINK = encoder.encode('noaber ring via link');
const DEVICE = encoder.encode('noaber ring to device');

/** The most a sealed ring may be as text: a ring of 1,000 keys. */
export const MAX_SEALED_RING = 200_000;

function readRing(bytes: ArrayBuffer): KeyRing | undefined {
	try {
		const result = v.safeParse(KeyRingSchema, JSON.parse(new TextDecoder().decode(bytes)));
		return result.success ? result.output : undefined;
	} catch {
		return undefined;
	}
}

export async function sealRingWithSecret(ring: KeyRing): Promise<{ secret: string; box: string }> {
	const secret = crypto.getRandomValues(new Uint8Array(32));
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const key = await crypto.subtle.importKey('raw', secret, 'AES-GCM', false, ['encrypt']);
	const c = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: LINK }, key, encoder.encode(JSON.stringify(ring)));
	return { secret: toBase64url(secret), box: `${toBase64url(iv)}.${toBase64url(c)}` };
}

export async function openRingWithSecret(box: string, secret: string): Promise<KeyRing | undefined> {
	const [iv, c] = box.split('.').map(fromBase64url);
	const raw = fromBase64url(secret);
	if (!iv || !c || raw?.length !== 32 || box.length > MAX_SEALED_RING) return undefined;
	try {
		const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
		return readRing(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: LINK }, key, c));
	} catch {
		return undefined;
	}
}

export async function sealRingToDevice(ring: KeyRing, devicePub: string): Promise<string> {
	const suite = hpke();
	const recipientPublicKey = await suite.kem.deserializePublicKey(fromBase64url(devicePub)!.buffer);
	const sealed = await suite.seal({ recipientPublicKey, info: DEVICE }, encoder.encode(JSON.stringify(ring)));
	return `${toBase64url(sealed.enc)}.${toBase64url(sealed.ct)}`;
}

export async function openRingForDevice(box: string, device: KeyPair): Promise<KeyRing | undefined> {
	const [enc, ct] = box.split('.').map(fromBase64url);
	if (!enc || !ct || box.length > MAX_SEALED_RING) return undefined;
	try {
		const suite = hpke();
		const recipientKey = await suite.kem.deserializePrivateKey(fromBase64url(device.priv)!.buffer);
		return readRing(await suite.open({ recipientKey, enc: enc.buffer, info: DEVICE }, ct.buffer));
	} catch {
		return undefined;
	}
}
