import { describe, expect, it } from 'vitest';
import { memberName } from './member-name.ts';

describe("a member's name on a page", () => {
	it('is the name the list has, and "onbekende buur" for someone it does not have, or no one', () => {
		const names = new Map([['anna-000001', 'Anna'], ['blank-00001', '']]);
		expect(memberName(names, 'anna-000001')).toBe('Anna');
		expect(memberName(names, 'gone-000001')).toBe('onbekende buur');
		expect(memberName(names, 'blank-00001')).toBe('onbekende buur');
		expect(memberName(names, undefined)).toBe('onbekende buur');
		expect(memberName(undefined, 'anna-000001')).toBe('onbekende buur');
	});
});
