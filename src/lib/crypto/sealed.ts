// Sealing a short text to several readers: the text is encrypted once with a fresh AES-256-GCM key
// (WebCrypto), and that key is sealed to each reader's public key with HPKE. The place the text
// belongs (`context`, e.g. the post and response it is written on) is bound in as associated data,
// so a sealed value copied to another place does not open there.
//
// What stays visible: who the readers are (member ids and key numbers) and the length. Both are
// already visible in the document (who responded to whom), and the length is bounded by the form.
//
// This module is the shape of a sealed value, which the relay and the rules check without opening
// it; sealing and opening (with the HPKE code) are in ./sealing.ts, loaded only where a text is
// written or read.
import * as v from 'valibot';
import type { PublicKey } from './keys.ts';

/** Someone to seal to: a member, and the newest key their profile publishes. */
export interface Reader extends PublicKey {
	member: string;
}

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

/** A stored value read as a sealed value: undefined when it does not have that shape. */
export function parseSealed(sealed: string): v.InferOutput<typeof SealedSchema> | undefined {
	if (sealed.length > MAX_SEALED) return undefined;
	try {
		const result = v.safeParse(SealedSchema, JSON.parse(sealed));
		return result.success ? result.output : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a stored value has the shape of a sealed value (the relay checks this; it cannot open it). */
export const isSealed = (value: string): boolean => parseSealed(value) !== undefined;

/** The keys a sealed value was sealed to, as `<member>.<key number>`. */
export const sealedTo = (sealed: string): string[] => [...new Set(parseSealed(sealed)?.to.map((r) => `${r.m}.${r.n}`) ?? [])];

/** The member ids a sealed value was sealed to. */
export const readersOf = (sealed: string): string[] => [...new Set(parseSealed(sealed)?.to.map((r) => r.m) ?? [])];
