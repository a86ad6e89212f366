import { describe, expect, it } from 'vitest';
import type { Member } from './schema.ts';
import { readersFor } from './readers.ts';

const key = (c: string) => ({ n: 1, pub: c.repeat(43) });
const member = (id: string, extra: Partial<Member> = {}): Member => ({
	id,
	name: id,
	area: '',
	phone: '',
	phoneVisibility: 'nobody',
	areaVisibility: 'members',
	helpWith: [],
	helpNote: '',
	joinedAt: '2026-12-01T10:00:00.000Z',
	updatedAt: '',
	...extra
});

describe('whom a private text is sealed to', () => {
	const members = [member('ann-00001', { publicKey: key('a') }), member('vera-0001'), member('henk-0001', { managedBy: 'vera-0001' }), member('cor-00001')];

	it("takes each member's published key, and skips a member without one", () => {
		expect(readersFor(['ann-00001', 'cor-00001'], members)).toEqual([{ member: 'ann-00001', ...key('a') }]);
	});

	it("reaches a resident without a device through their intermediary, whose device's own key stands in before it is published", () => {
		expect(readersFor(['henk-0001'], members)).toEqual([]);
		const vera = { member: 'vera-0001', ...key('v') };
		expect(readersFor(['henk-0001', 'vera-0001', 'ann-00001'], members, vera)).toEqual([vera, { member: 'ann-00001', ...key('a') }]);
	});
});
