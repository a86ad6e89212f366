// A zone's clock is made once: joining makes the agenda's ahead of time, while the page is idle.
import { afterEach, describe, expect, it, vi } from 'vitest';
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
