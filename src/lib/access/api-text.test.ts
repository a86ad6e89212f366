import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { Requests } from './api.ts';

const ROOT = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';

describe('names and device labels sent to the relay', () => {
	it('arrive as one clean line, so a register or "gedaan door" never shows control characters', () => {
		const join = v.parse(Requests.join, { root: ROOT, name: ' Bert\r\nvan \u202eDijk\u0007 ', label: 'Telefoon\tkeuken\n' });
		expect(join.name).toBe('Bert van Dijk');
		expect(join.label).toBe('Telefoon\tkeuken');
		expect(v.parse(Requests.managed, { memberId: 'anna-0000-0001', name: 'Anna\u0000' }).name).toBe('Anna');
		// Nothing left but control characters is no name.
		expect(v.is(Requests.managed, { memberId: 'anna-0000-0001', name: '\u0007\r\n' })).toBe(false);
	});
});
