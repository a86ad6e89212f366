// Opening hours from HSDS schedules (RFC 5545 parts): whether a service is open at a wall-clock
// time in Amsterdam, and the days and times grouped the way people say them.
//
// A schedule is weekly, or monthly on one weekday ("every second Tuesday", "the last Friday"):
// which days that is follows from the day's place in its month alone, so this module does without
// the rrule library the agenda uses (50 KB the map page would load before it first shows). The
// test beside it holds this reading to rrule's for every such rule over years of days.
import { dayOf, timeOf, type Wall } from '../agenda/time.ts';
import { placeInMonth, WEEKDAYS, weekdayOf, type WeekdayCode } from '../agenda/weekdays.ts';
import type { Schedule } from './schema.ts';

/** Whether the schedule has hours on this day ('YYYY-MM-DD'). */
export function appliesOn(schedule: Schedule, day: string): boolean {
	const midnight = `${day}T00:00`;
	if (!schedule.byday.includes(weekdayOf(midnight))) return false;
	if (schedule.freq === 'WEEKLY') return true;
	if (schedule.nth === undefined) return false;
	const place = placeInMonth(midnight);
	return schedule.nth > 0 ? place.nth === schedule.nth : place.fromEnd === schedule.nth;
}

/** Open at this wall-clock time? */
export function isOpenAt(schedules: Schedule[], wall: Wall): boolean {
	const time = timeOf(wall);
	return schedules.some((s) => appliesOn(s, dayOf(wall)) && s.opensAt <= time && time < s.closesAt);
}

export interface HoursWords {
	day: (code: WeekdayCode) => string;
	/** "ma t/m vr" */
	range: (from: string, to: string) => string;
	/** "elke tweede dinsdag" */
	nth: (nth: number, day: WeekdayCode) => string;
	time: (time: string) => string;
}

/**
 * "ma t/m vr 9.00–12.00; elke tweede dinsdag 13.00–16.00": weekly days with the same hours are
 * grouped, consecutive ones as a range.
 */
export function hoursText(schedules: Schedule[], words: HoursWords): string {
	const parts: string[] = [];
	const times = (s: Schedule) => `${words.time(s.opensAt)}–${words.time(s.closesAt)}`;
	const weekly = schedules.filter((s) => s.freq === 'WEEKLY');
	const byHours = new Map<string, Set<WeekdayCode>>();
	for (const s of weekly) {
		const set = byHours.get(times(s)) ?? new Set<WeekdayCode>();
		for (const d of s.byday) set.add(d as WeekdayCode);
		byHours.set(times(s), set);
	}
	const ordered = [...byHours.entries()].sort(
		([, a], [, b]) => Math.min(...[...a].map((d) => WEEKDAYS.indexOf(d))) - Math.min(...[...b].map((d) => WEEKDAYS.indexOf(d)))
	);
	for (const [hours, days] of ordered) {
		const indexes = [...days].map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
		const runs: number[][] = [];
		for (const i of indexes) {
			const run = runs[runs.length - 1];
			if (run && run[run.length - 1] === i - 1) run.push(i);
			else runs.push([i]);
		}
		const dayText = runs
			.map((run) =>
				run.length >= 3 ? words.range(words.day(WEEKDAYS[run[0]]), words.day(WEEKDAYS[run[run.length - 1]])) : run.map((i) => words.day(WEEKDAYS[i])).join(', ')
			)
			.join(', ');
		parts.push(`${dayText} ${hours}`);
	}
	for (const s of schedules.filter((s) => s.freq === 'MONTHLY' && s.nth !== undefined)) {
		parts.push(`${words.nth(s.nth!, s.byday[0] as WeekdayCode)} ${times(s)}`);
	}
	return parts.join('; ');
}

/** The RRULE of a schedule, for HSDS and calendars. */
export function scheduleRule(schedule: Pick<Schedule, 'freq' | 'byday' | 'nth'>): string {
	const days = schedule.freq === 'MONTHLY' && schedule.nth !== undefined ? `${schedule.nth}${schedule.byday[0]}` : schedule.byday.join(',');
	return `FREQ=${schedule.freq};BYDAY=${days}`;
}
