// Sealing a short text to several readers: the text is encrypted once with a fresh AES-256-GCM key
// (WebCrypto), and that key is sealed to each reader's public key with HPKE. The place the text
// belongs (`context`, e.g. the post and response it is written on) is bound in as associated data,
// so a sealed value copied to another place does not open there.
//
// What stays visible: who the readers are (member ids and key numbers) and the length. Both are
// already visible in the document (who responded to whom), and the length is bounded by the form.
import * as v from 'valibot';
import { fromBase64url, toBase64url } from './base64url.ts';
import type { KeyRing, PublicKey } from './keys.ts';
import { hpke } from './suite.ts';

/** Someone to seal to: a member, and the newest key their profile publishes. */
export interface Reader extends PublicKey {
	member: string;
}

const encoder = new TextEncoder();
const B64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/), v.maxLength(20_000));

const SealedSchema = v.object({
	v: v.literal(1),
	iv: B64,
	c: B64,
	to: v.pipe(
		v.array(v.object({ m: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)), n: v.pipe(v.number(), v.integer(), v.minValue(1)), e: B64, k: B64 })),
		v.minLength(1),
		v.maxLength(64)
	)
});

/** The most a sealed value may be: a 2,000-character text to 64 readers fits with room. */
export const MAX_SEALED = 24_000;

function parse(sealed: string): v.InferOutput<typeof SealedSchema> | undefined {
	if (sealed.length > MAX_SEALED) return undefined;
	try {
		const result = v.safeParse(SealedSchema, JSON.parse(sealed));
		return result.success ? result.output : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a stored value has the shape of a sealed value (the relay checks this; it cannot open it). */
export const isSealed = (value: string): boolean => parse(value) !== undefined;

/** The keys a sealed value was sealed to, as `<member>.<key number>`. */
export const sealedTo = (sealed: string): string[] => [...new Set(parse(sealed)?.to.map((r) => `${r.m}.${r.n}`) ?? [])];

/** The member ids a sealed value was sealed to. */
export const readersOf = (sealed: string): string[] => [...new Set(parse(sealed)?.to.map((r) => r.m) ?? [])];

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
	const parsed = parse(sealed);
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
