import { describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../agenda/weekdays.ts';
import { RRule, Weekday } from '../agenda/rrule-lib.ts';
import { addDays, dayOf, floating } from '../agenda/time.ts';
import { appliesOn, isOpenAt } from './hours.ts';
import type { Schedule } from './schema.ts';

const FROM = '2024-01-01';
const TO = '2031-12-31';
const NTHS = [1, 2, 3, 4, -1] as const;

/** Every day from `from` to `to`, as 'YYYY-MM-DD'. */
function days(from: string, to: string): string[] {
	const out: string[] = [];
	for (let wall = `${from}T00:00`; dayOf(wall) <= to; wall = addDays(wall, 1)) out.push(dayOf(wall));
	return out;
}

/** The days rrule gives for "the nth <weekday> of every month". */
function rruleDays(weekday: number, nth: number): Set<string> {
	const rule = new RRule({ freq: RRule.MONTHLY, byweekday: [new Weekday(weekday, nth)], dtstart: floating(`${FROM}T00:00`) });
	return new Set(rule.between(floating(`${FROM}T00:00`), floating(`${TO}T23:59`), true).map((d) => d.toISOString().slice(0, 10)));
}

const schedule = (over: Partial<Schedule>): Schedule =>
	({ freq: 'WEEKLY', byday: ['MO'], opensAt: '09:00', closesAt: '12:00', note: '', ...over }) as Schedule;

describe('opening hours on a monthly weekday', () => {
	it('falls on the same days as the rrule library says, for every weekday and place in the month over eight years', () => {
		const all = days(FROM, TO);
		for (const [index, code] of WEEKDAYS.entries()) {
			for (const nth of NTHS) {
				const expected = rruleDays(index, nth);
				expect(expected.size).toBe(96);
				const monthly = schedule({ freq: 'MONTHLY', byday: [code], nth });
				const found = all.filter((day) => appliesOn(monthly, day));
				expect(found).toEqual([...expected].sort());
			}
		}
	});

	it('knows a fifth Tuesday is not the fourth, and the last Friday of February in a leap year', () => {
		const second = schedule({ freq: 'MONTHLY', byday: ['TU'], nth: 2 });
		const fourth = schedule({ freq: 'MONTHLY', byday: ['TU'], nth: 4 });
		const last = schedule({ freq: 'MONTHLY', byday: ['FR'], nth: -1 });
		expect(appliesOn(second, '2026-12-08')).toBe(true);
		expect(appliesOn(second, '2026-12-15')).toBe(false);
		expect(appliesOn(fourth, '2026-12-22')).toBe(true);
		expect(appliesOn(fourth, '2026-12-29')).toBe(false);
		expect(appliesOn(last, '2028-02-25')).toBe(true);
		expect(appliesOn(last, '2028-02-18')).toBe(false);
	});

	it('is open only within the hours of a day it applies on', () => {
		const hours = [schedule({ freq: 'MONTHLY', byday: ['TU'], nth: 2, opensAt: '13:00', closesAt: '16:00' })];
		expect(isOpenAt(hours, '2026-12-08T13:00')).toBe(true);
		expect(isOpenAt(hours, '2026-12-08T16:00')).toBe(false);
		expect(isOpenAt(hours, '2026-12-15T14:00')).toBe(false);
	});
});
