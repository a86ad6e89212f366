// A zone's clock is made once: joining makes the agenda's ahead of time, while the page is idle.
import * as fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deviceToday, todayWall } from './calendar.ts';
import { prepareZone, wallAt } from './time.ts';

describe("a time zone's clock", () => {
	afterEach(() => void vi.restoreAllMocks());

	it('is made when asked ahead of time, and then tells the wall time without being made again', () => {
		const Real = Intl.DateTimeFormat;
		const made = vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(function (...args: ConstructorParameters<typeof Real>) {
			return new Real(...args);
		} as typeof Real);
		prepareZone('Pacific/Chatham');
		expect(made).toHaveBeenCalledTimes(1);
		// Twelve forty-five ahead of UTC in the southern winter.
		expect(wallAt(new Date('2026-07-01T12:00:00Z'), 'Pacific/Chatham')).toBe('2026-07-02T00:45');
		prepareZone('Pacific/Chatham');
		expect(made).toHaveBeenCalledTimes(1);
	});
});

describe('today', () => {
	const zone = process.env.TZ;
	afterEach(() => {
		vi.restoreAllMocks();
		process.env.TZ = zone;
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
