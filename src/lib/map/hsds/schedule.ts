// Opening hours both ways: the map's weekly and monthly (nth weekday) hours as HSDS schedules in
// RFC 5545 parts, and HSDS schedules read back as far as the map can hold them. Times are Dutch
// wall-clock times either way.
import { WEEKDAYS, type WeekdayCode } from '../../agenda/weekdays.ts';
import type { ServiceInput } from '../mutations.ts';
import type { Schedule, Service } from '../view.ts';
import { numberOf, textOf, type Obj } from './fields.ts';
import { optional } from './formats.ts';
import { partId } from './ids.ts';
import type { HsdsSchedule } from './types.ts';

const bydayOf = (s: Pick<Schedule, 'freq' | 'byday' | 'nth'>) =>
	s.freq === 'MONTHLY' && s.nth !== undefined ? `${s.nth}${s.byday[0]}` : s.byday.join(',');

function scheduleOrder(a: Schedule, b: Schedule): number {
	const key = (s: Schedule) => [s.freq, String(s.nth ?? 0).padStart(2, '0'), String(WEEKDAYS.indexOf(s.byday[0] as WeekdayCode)), s.opensAt, s.closesAt, s.byday.join()].join('|');
	return key(a).localeCompare(key(b));
}

/** A service's hours as HSDS schedules, in a fixed order so the same hours always give the same file. */
export function exportSchedules(s: Service, serviceId: string): HsdsSchedule[] {
	return [...s.schedules].sort(scheduleOrder).map((x) => ({
		id: partId(s.id, 'schedule', x.freq, bydayOf(x), x.opensAt, x.closesAt),
		service_id: serviceId,
		freq: x.freq,
		byday: bydayOf(x),
		opens_at: `${x.opensAt}:00`,
		closes_at: `${x.closesAt}:00`,
		...optional('notes', x.note)
	}));
}

const TIME = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function clockOf(x: unknown): string | undefined {
	const m = TIME.exec(textOf(x));
	return m ? `${m[1].padStart(2, '0')}:${m[2]}` : undefined;
}

export type ScheduleResult = { ok: true; schedules: ServiceInput['schedules'] } | { ok: false; dropped?: string };

/**
 * One HSDS schedule as the map's weekly or monthly-nth hours. A malformed schedule is refused
 * (`ok: false` without `dropped`); a valid one the map cannot express (every other week, dates,
 * hours only as text) is left out with what it said.
 */
export function readSchedule(o: Obj, note: string): ScheduleResult {
	const describe = () => textOf(o.description) || textOf(o.notes) || `${textOf(o.freq)} ${textOf(o.byday)} ${textOf(o.opens_at)}–${textOf(o.closes_at)}`.trim();
	const freq = textOf(o.freq).toUpperCase();
	const byday = textOf(o.byday).toUpperCase();
	if (!freq && !byday) return { ok: false, dropped: describe() };
	if (freq !== 'WEEKLY' && freq !== 'MONTHLY') return { ok: false };
	const interval = numberOf(o.interval);
	const unsupported = ['byweekno', 'bymonthday', 'byyearday', 'count', 'until'].some((k) => textOf(o[k])) || (interval !== undefined && interval !== 1);
	if (unsupported || !byday) return { ok: false, dropped: describe() };
	const tokens = byday.split(',').map((t) => /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(t.trim()));
	if (tokens.some((t) => !t)) return { ok: false };
	const opensAt = clockOf(o.opens_at);
	const closesAt = clockOf(o.closes_at);
	if (!textOf(o.opens_at) || !textOf(o.closes_at)) return { ok: false, dropped: describe() };
	if (!opensAt || !closesAt) return { ok: false };
	const days = tokens.map((t) => ({ nth: t![1] ? Number(t![1]) : undefined, day: t![2] as WeekdayCode }));
	if (freq === 'WEEKLY' || days.every((d) => d.nth === undefined)) {
		if (days.some((d) => d.nth !== undefined)) return { ok: false };
		return { ok: true, schedules: [{ freq: 'WEEKLY', days: days.map((d) => d.day), opensAt, closesAt, note }] };
	}
	if (days.some((d) => d.nth === undefined)) return { ok: false };
	if (days.some((d) => ![1, 2, 3, 4, -1].includes(d.nth!))) return { ok: false, dropped: describe() };
	return {
		ok: true,
		schedules: days.map((d) => ({ freq: 'MONTHLY', days: [d.day], nth: d.nth as 1 | 2 | 3 | 4 | -1, opensAt, closesAt, note }))
	};
}
