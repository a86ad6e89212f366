// Secrets the relay hands out (credentials, tickets, link codes): random, at least 128 bits, kept
// only as a hash. They are long random strings, not passwords, so one SHA-256 is enough; the
// comparison is in constant time all the same.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newId = (): string => randomBytes(12).toString('base64url');

export interface Made {
	id: string;
	/** `<id>.<secret>`: what the holder keeps; never stored, never logged. */
	full: string;
	hash: string;
}

export function makeSecret(bytes = 32): Made {
	const id = newId();
	const secret = randomBytes(bytes).toString('base64url');
	return { id, full: `${id}.${secret}`, hash: hashOf(secret) };
}

export const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

export function matches(secret: string, hash: string): boolean {
	const given = Buffer.from(hashOf(secret));
	const expected = Buffer.from(hash);
	return given.length === expected.length && timingSafeEqual(given, expected);
}
