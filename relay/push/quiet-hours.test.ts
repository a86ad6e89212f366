// The operator's choice of quiet hours (NOABER_QUIET_HOURS), read as the relay starts.
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { quietUntil } from './quiet-hours.ts';

const amsterdam = (day: number, hour: number) => Date.UTC(2026, 11, day, hour - 1); // winter time: UTC+1

describe('NOABER_QUIET_HOURS', () => {
	it('keeps 21.00 to 08.00 unless told otherwise', () => {
		const quiet = configFromEnv({}).quietHours;
		expect(quietUntil(amsterdam(1, 22), quiet)).toBe(amsterdam(2, 8));
		expect(quietUntil(amsterdam(1, 12), quiet)).toBeUndefined();
	});

	it('takes other evening and morning hours, or none at all', () => {
		const late = configFromEnv({ NOABER_QUIET_HOURS: '22-7' }).quietHours;
		expect(quietUntil(amsterdam(1, 21), late)).toBeUndefined();
		expect(quietUntil(amsterdam(1, 23), late)).toBe(amsterdam(2, 7));
		const off = configFromEnv({ NOABER_QUIET_HOURS: 'off' }).quietHours;
		for (const hour of [0, 3, 8, 21, 23]) expect(quietUntil(amsterdam(1, hour), off)).toBeUndefined();
	});

	it('says what is wrong with a value it cannot read, instead of guessing', () => {
		for (const wrong of ['21', '8-21', '25-8', 'nacht', '21-21']) {
			expect(() => configFromEnv({ NOABER_QUIET_HOURS: wrong })).toThrow(/NOABER_QUIET_HOURS must be .*"21-8".* or "off"/);
		}
	});
});
