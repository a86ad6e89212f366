// Dates, times and numbers follow the language chosen on the device, through Intl.
import { afterEach, describe, expect, it } from 'vitest';
import { formatMoment, formatWallDay, formatWallTime } from './dates.ts';
import { locale } from './language.svelte.ts';
import { formatKm } from './numbers.ts';

describe('formatting in the device language', () => {
	afterEach(() => {
		locale.language = 'nl';
	});

	it('writes Dutch by default', () => {
		expect(formatWallDay('2030-03-05T10:00')).toBe('dinsdag 5 maart 2030');
		expect(formatWallTime('2030-03-05T10:00')).toBe('10.00');
		expect(formatKm(1.234)).toBe('1,2 km');
		// Summer time: 08:00 UTC is 10.00 in Amsterdam.
		expect(formatMoment('2030-06-04T08:00:00Z')).toMatch(/^4 juni 2030.* 10\.00$/);
	});

	it('switches to English when the device asks for it', () => {
		locale.language = 'en';
		expect(formatWallDay('2030-03-05T10:00')).toBe('Tuesday, 5 March 2030');
		expect(formatWallTime('2030-03-05T10:00')).toBe('10:00');
		expect(formatKm(1.234)).toBe('1.2 km');
		expect(formatMoment('2030-06-04T08:00:00Z')).toMatch(/^4 June 2030.* 10:00$/);
	});
});
