import { describe, expect, it } from 'vitest';
import { makeSecret } from '../../../relay/secrets.ts';
import { secretsIn } from './secret-shape.ts';
import { deviceOfPeer, parseSecret, peerIdFor } from './secret.ts';

describe('secrets the relay hands out', () => {
	it('read back as id and secret, and nothing else does', () => {
		const credential = makeSecret();
		expect(parseSecret(credential.full)).toEqual({ id: credential.id, secret: credential.full.split('.')[1] });
		expect(parseSecret(makeSecret(16).full)?.id).toHaveLength(16);
		for (const odd of ['', 'no-dot-at-all-here', 'short.AAAAAAAAAAAAAAAAAAAAAAAA', `${credential.id}.short`, `${credential.id}.${'A'.repeat(90)}`]) {
			expect(parseSecret(odd)).toBeUndefined();
		}
	});

	it('are found in any text they slip into, so tests can prove the logs hold none', () => {
		const credential = makeSecret().full;
		const code = makeSecret(16).full;
		expect(secretsIn(`{"msg":"joined","key":"${credential}"} then ${code}`)).toEqual([credential, code]);
		expect(secretsIn('automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu peer 0123456789abcdef~x1 at 10.00')).toEqual([]);
	});

	it('tie a peer id to the device that may use it', () => {
		const peer = peerIdFor('dev1ce-id-123456', 'a1b2');
		expect(deviceOfPeer(peer)).toBe('dev1ce-id-123456');
		expect(deviceOfPeer('phone-abc')).toBeUndefined();
	});
});
