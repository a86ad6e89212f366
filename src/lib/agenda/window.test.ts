// Which day is today: at once from the device's clock, then from the neighbourhood's.
import * as fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceToday, todayWall } from './window.ts';

describe('today', () => {
	const zone = process.env.TZ;
	afterEach(() => {
		vi.restoreAllMocks();
		// Given `undefined`, Node would set the text "undefined".
		if (zone === undefined) delete process.env.TZ;
		else process.env.TZ = zone;
	});

	it("on a device in the Netherlands, its own clock tells the neighbourhood's day, without Intl's date data", () => {
		process.env.TZ = 'Europe/Amsterdam';
		const made = vi.spyOn(Intl, 'DateTimeFormat');
		// Around midnight and the nights the clocks change, too.
		const instants = fc.oneof(
			fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }),
			fc.constantFrom('2026-03-28T22:59:59Z', '2026-03-28T23:00:00Z', '2026-03-29T00:59:59Z', '2026-03-29T01:00:00Z', '2026-10-24T21:59:59Z', '2026-10-24T22:00:00Z', '2026-10-25T00:59:59Z', '2026-10-25T01:00:00Z', '2026-12-31T23:00:00Z').map((s) => new Date(s))
		);
		const days = fc.sample(instants, 500).map((now) => [now, deviceToday(now)] as const);
		expect(made).not.toHaveBeenCalled();
		made.mockRestore();
		for (const [now, day] of days) expect(day, now.toISOString()).toBe(todayWall(now));
	});

	it('on a device elsewhere, is the day on its own clock', () => {
		process.env.TZ = 'America/New_York';
		// 02.00 in Amsterdam on a Monday is still Sunday evening in New York.
		expect(deviceToday(new Date('2026-11-30T01:00:00Z'))).toBe('2026-11-29T00:00');
		expect(todayWall(new Date('2026-11-30T01:00:00Z'))).toBe('2026-11-30T00:00');
	});
});
