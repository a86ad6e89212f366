// Sealing a short text to several readers and opening it again (see ./sealed.ts for the shape and
// what stays visible). The HPKE code comes with this module, so pages that only show whether a
// value is sealed do not load it.
import { fromBase64url, toBase64url } from './base64url.ts';
import type { KeyRing } from './keys.ts';
import { parseSealed, type Reader } from './sealed.ts';
import { hpke } from './suite.ts';

const encoder = new TextEncoder();

export async function seal(text: string, readers: readonly Reader[], context: string): Promise<string> {
	const unique = [...new Map(readers.map((r) => [`${r.member}.${r.n}`, r])).values()];
	if (unique.length === 0) throw new Error('nobody to seal to');
	const raw = crypto.getRandomValues(new Uint8Array(32));
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const aad = encoder.encode(context);
	const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
	const c = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, encoder.encode(text));
	const suite = hpke();
	const to = await Promise.all(
		unique.map(async (reader) => {
			const publicKey = await suite.kem.deserializePublicKey(fromBase64url(reader.pub)!.buffer);
			const sealedKey = await suite.seal({ recipientPublicKey: publicKey, info: aad }, raw);
			return { m: reader.member, n: reader.n, e: toBase64url(sealedKey.enc), k: toBase64url(sealedKey.ct) };
		})
	);
	return JSON.stringify({ v: 1, iv: toBase64url(iv), c: toBase64url(c), to });
}

/**
 * The text, when one of `rings` holds a key it was sealed to; undefined otherwise (not a reader,
 * a key this device never had, or a value damaged or moved from elsewhere).
 */
export async function open(sealed: string, rings: readonly KeyRing[], context: string): Promise<string | undefined> {
	const parsed = parseSealed(sealed);
	if (!parsed) return undefined;
	const aad = encoder.encode(context);
	const suite = hpke();
	for (const entry of parsed.to) {
		const key = rings.find((r) => r.member === entry.m)?.keys.find((k) => k.n === entry.n);
		if (!key) continue;
		try {
			const privateKey = await suite.kem.deserializePrivateKey(fromBase64url(key.priv)!.buffer);
			const raw = await suite.open({ recipientKey: privateKey, enc: fromBase64url(entry.e)!.buffer, info: aad }, fromBase64url(entry.k)!.buffer);
			const aes = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
			const text = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(parsed.iv)!, additionalData: aad }, aes, fromBase64url(parsed.c)!);
			return new TextDecoder().decode(text);
		} catch {
			// Not this key after all (or tampered with): try the next entry.
		}
	}
	return undefined;
}
