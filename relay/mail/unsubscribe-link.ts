// The one-click unsubscribe link in every digest works without logging in: it carries an HMAC of
// the neighbourhood, the member and the subscription's nonce under a key only the relay holds
// (mail/unsubscribe.key, 0600). Nothing secret is stored per subscription, and a link stops working
// once the member unsubscribes (a new subscription has a new nonce).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const UNSUBSCRIBE_PATH = /^\/api\/mail\/unsubscribe\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{8,64})\/([A-Za-z0-9_-]{43})$/;

export class UnsubscribeLinks {
	readonly #key: Buffer;

	constructor(data: string) {
		const dir = join(data, 'mail');
		const file = join(dir, 'unsubscribe.key');
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		let key: Buffer;
		try {
			key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
		} catch {
			key = Buffer.alloc(0);
		}
		if (key.length < 32) {
			key = randomBytes(32);
			writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
		}
		this.#key = key;
	}

	token(neighbourhood: string, member: string, nonce: string): string {
		return createHmac('sha256', this.#key).update(`${neighbourhood}\n${member}\n${nonce}`).digest('base64url');
	}

	url(origin: string, neighbourhood: string, member: string, nonce: string): string {
		return `${origin}/api/mail/unsubscribe/${neighbourhood}/${member}/${this.token(neighbourhood, member, nonce)}`;
	}

	matches(given: string, neighbourhood: string, member: string, nonce: string): boolean {
		const expected = Buffer.from(this.token(neighbourhood, member, nonce));
		const actual = Buffer.from(given);
		return expected.length === actual.length && timingSafeEqual(expected, actual);
	}
}
