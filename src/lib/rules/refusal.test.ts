import { cbor } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { encodeRefusal, readRefusal, REFUSED, type RefusalNotice } from './refusal.ts';

const hash = 'ab'.repeat(32);
const notice: RefusalNotice = { noaber: REFUSED, changes: [hash], rule: 'help.post-author', path: ['posts', 'p1', 'title'] };

describe('refusal notice', () => {
	it('reads back what the relay encodes, raw or as automerge-repo decoded it', () => {
		const data = encodeRefusal(notice);
		expect(readRefusal(data)).toEqual(notice);
		expect(readRefusal(cbor.decode(data))).toEqual(notice);
		expect(readRefusal({ noaber: REFUSED, changes: [hash], rule: 'members.profile' })).toEqual({
			noaber: REFUSED,
			changes: [hash],
			rule: 'members.profile'
		});
	});

	it('is not a refusal when its shape is off', () => {
		for (const bad of [
			undefined,
			null,
			'refused',
			{ noaber: 'access-changed' },
			{ noaber: REFUSED, changes: [], rule: 'help.x' },
			{ noaber: REFUSED, changes: ['not-a-hash'], rule: 'help.x' },
			{ noaber: REFUSED, changes: [hash.toUpperCase()], rule: 'help.x' },
			{ noaber: REFUSED, changes: [hash], rule: 'Help x\n' },
			{ noaber: REFUSED, changes: [hash], rule: 'help.x', path: [1] },
			{ noaber: REFUSED, changes: Array(1001).fill(hash), rule: 'help.x' },
			new Uint8Array([0xff, 0x00]),
			cbor.encode({ noaber: REFUSED })
		])
			expect(readRefusal(bad)).toBeUndefined();
	});

	it('will not encode a notice the app could not read', () => {
		expect(() => encodeRefusal({ ...notice, changes: ['x'] })).toThrow();
	});
});
