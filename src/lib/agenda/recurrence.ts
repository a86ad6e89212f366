// Series as RFC 5545 describes them: an RRULE from the first start, EXDATEs (skipped), and
// overrides keyed by the original start (RECURRENCE-ID). The rrule library does the calendar
// arithmetic on floating dates (see time.ts), so 10.00 stays 10.00 in summer and winter.
import { RRule, Frequency, type Options } from './rrule-lib.ts';
import { addMinutes, floating, minutesBetween, wallOf, type Wall } from './time.ts';
import { nthOf, WEEKDAYS, weekdayOf, type WeekdayCode } from './weekdays.ts';

export interface Skip {
	by: string;
	actedBy?: string;
	at: string;
	reason: string;
}

export interface Override {
	start?: string;
	end?: string;
	location?: string;
	note?: string;
	by: string;
	at: string;
}

/** What expansion needs of an event. */
export interface Schedule {
	start: Wall;
	end: Wall;
	rrule: string;
	skipped: Record<string, Skip>;
	overrides: Record<string, Override>;
}

export interface Occurrence {
	/** The original start ('' for a one-off event): the key for skips, overrides and sign-ups. */
	rid: string;
	start: Wall;
	end: Wall;
	skipped?: Skip;
	override?: Override;
}

const ALLOWED = new Set([Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY]);
const UNSUPPORTED: (keyof Options)[] = ['byhour', 'byminute', 'bysecond', 'byweekno', 'byeaster', 'dtstart', 'tzid'];

/** The rule's options, or undefined when it is not a rule this agenda can show. */
export function parseRule(rule: string): Partial<Options> | undefined {
	// Only the characters of RRULE parts: the rule is written into feeds as it is, and rrule's
	// parser reads line breaks as the start of another property.
	if (rule.length === 0 || rule.length > 300 || /DTSTART|TZID/i.test(rule) || !/^[A-Za-z0-9=;,:+-]+$/.test(rule)) return undefined;
	const body = rule.replace(/^RRULE:/i, '');
	// Every part a name and non-empty values: rrule reads "COUNT=,5" as a count of NaN, which slips
	// past the checks below and makes calendar apps reject the whole feed.
	if (!body.split(';').every((part) => /^[A-Za-z]+=[A-Za-z0-9+-]+(,[A-Za-z0-9+-]+)*$/.test(part))) return undefined;
	let options: Partial<Options>;
	try {
		options = RRule.parseString(body);
	} catch {
		return undefined;
	}
	if (options.freq === undefined || !ALLOWED.has(options.freq)) return undefined;
	if (UNSUPPORTED.some((key) => options[key] !== undefined && options[key] !== null)) return undefined;
	if (options.interval !== undefined && !(Number.isInteger(options.interval) && options.interval >= 1 && options.interval <= 52)) return undefined;
	if (options.count !== undefined && options.count !== null && !(Number.isInteger(options.count) && options.count >= 1 && options.count <= 1000)) return undefined;
	return options;
}

export const isRule = (rule: string): boolean => parseRule(rule) !== undefined;

const rules = new Map<string, RRule>();

function ruleFor(start: Wall, rule: string): RRule | undefined {
	const key = `${start}|${rule}`;
	let cached = rules.get(key);
	if (!cached) {
		const options = parseRule(rule);
		if (!options) return undefined;
		cached = new RRule({ ...options, dtstart: floating(start) });
		if (rules.size > 5000) rules.clear();
		rules.set(key, cached);
	}
	return cached;
}

const DAY_MS = 24 * 3600_000;

/**
 * rrule walks every occurrence from the first start to the window asked for: for a weekly
 * coffee morning that began years ago, hundreds of dates on every new week shown. When the rule
 * names its days (BYDAY or BYMONTHDAY) and does not count (no COUNT), starting it a whole number
 * of periods later gives the same dates from there on, so it is started just before the window.
 */
function nearRule(start: Wall, rule: string, from: Wall): RRule | undefined {
	const options = parseRule(rule);
	if (!options) return undefined;
	const named = options.byweekday !== null && options.byweekday !== undefined;
	const monthDays = options.bymonthday !== null && options.bymonthday !== undefined;
	const first = floating(start);
	const target = floating(from);
	const interval = options.interval ?? 1;
	if (options.count || target <= first || options.bymonth || options.bysetpos) return ruleFor(start, rule);
	let shifted: Date | undefined;
	if (options.freq === Frequency.WEEKLY && named) {
		const period = 7 * interval * DAY_MS;
		const periods = Math.floor((target.getTime() - first.getTime()) / period) - 1;
		if (periods > 0) shifted = new Date(first.getTime() + periods * period);
	} else if (options.freq === Frequency.DAILY) {
		const period = interval * DAY_MS;
		const periods = Math.floor((target.getTime() - first.getTime()) / period) - 1;
		if (periods > 0) shifted = new Date(first.getTime() + periods * period);
	} else if (options.freq === Frequency.MONTHLY && (named || monthDays)) {
		const months = (target.getUTCFullYear() - first.getUTCFullYear()) * 12 + target.getUTCMonth() - first.getUTCMonth();
		const periods = Math.floor(months / interval) - 1;
		// The first of the month, at the series' time: the named days decide the dates.
		if (periods > 0) shifted = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + periods * interval, 1, first.getUTCHours(), first.getUTCMinutes()));
	}
	if (!shifted) return ruleFor(start, rule);
	return ruleFor(wallOf(shifted), rule);
}

/** The original starts of a series within [from, to], inclusive. */
export function ruleStarts(schedule: Pick<Schedule, 'start' | 'rrule'>, from: Wall, to: Wall): Wall[] {
	if (!schedule.rrule) return schedule.start >= from && schedule.start <= to ? [schedule.start] : [];
	const rule = nearRule(schedule.start, schedule.rrule, from);
	if (!rule) return [];
	return rule
		.between(floating(from), floating(to), true)
		.map(wallOf)
		.filter((w) => w >= schedule.start);
}

/** Whether `rid` is one of the series' original starts. */
export const isOccurrence = (schedule: Pick<Schedule, 'start' | 'rrule'>, rid: Wall): boolean =>
	ruleStarts(schedule, rid, rid).length === 1;

/** The last original start, or undefined for an open-ended series. */
export function lastStart(schedule: Pick<Schedule, 'start' | 'rrule'>): Wall | undefined {
	if (!schedule.rrule) return schedule.start;
	const options = parseRule(schedule.rrule);
	if (!options || (!options.until && !options.count)) return undefined;
	const rule = ruleFor(schedule.start, schedule.rrule);
	const all = rule?.all() ?? [];
	return all.length ? wallOf(all[all.length - 1]) : undefined;
}

/**
 * No original start of the series is later than this: the day its rule ends on (UNTIL), or its last
 * start when it counts (at most 1,000); none for an open-ended series or a rule this agenda cannot
 * show. Unlike `lastStart` it never walks a rule that ends on a date, which may be decades away.
 */
export function startsUntil(schedule: Pick<Schedule, 'start' | 'rrule'>): Wall | undefined {
	if (!schedule.rrule) return schedule.start;
	const options = parseRule(schedule.rrule);
	if (options?.until) return wallOf(options.until);
	return options?.count ? lastStart(schedule) : undefined;
}

/** The first original start at or after `from`. */
export function nextStart(schedule: Pick<Schedule, 'start' | 'rrule'>, from: Wall): Wall | undefined {
	if (!schedule.rrule) return schedule.start >= from ? schedule.start : undefined;
	const next = nearRule(schedule.start, schedule.rrule, from)?.after(floating(from > schedule.start ? from : schedule.start), true);
	return next ? wallOf(next) : undefined;
}

function occurrence(schedule: Schedule, rid: Wall, duration: number): Occurrence {
	const override = schedule.overrides[rid];
	const start = override?.start ?? rid;
	const end = override?.end ?? addMinutes(start, duration);
	return { rid, start, end, skipped: schedule.skipped[rid], override };
}

/** How far an override may move an occurrence and still be found from its original week. */
const MOVE_MARGIN_DAYS = 35;

/**
 * Occurrences that overlap [from, to): a one-off event, or each start of a series with its
 * override applied. Skipped occurrences are included, marked, so the agenda can say
 * "gaat niet door"; callers that only want what happens filter them.
 */
export function occurrencesBetween(schedule: Schedule, from: Wall, to: Wall): Occurrence[] {
	const duration = Math.max(0, minutesBetween(schedule.start, schedule.end));
	if (!schedule.rrule) {
		const one = { rid: '', start: schedule.start, end: schedule.end };
		return overlaps(one, from, to) ? [one] : [];
	}
	const margin = MOVE_MARGIN_DAYS * 24 * 60;
	const hasOverrides = Object.keys(schedule.overrides).length > 0;
	const searchFrom = addMinutes(from, -(duration + (hasOverrides ? margin : 0)));
	const searchTo = hasOverrides ? addMinutes(to, margin) : to;
	return ruleStarts(schedule, searchFrom, searchTo)
		.map((rid) => occurrence(schedule, rid, duration))
		.filter((o) => overlaps(o, from, to));
}

/** One occurrence by its original start, if the series has it. */
export function occurrenceAt(schedule: Schedule, rid: string): Occurrence | undefined {
	const duration = Math.max(0, minutesBetween(schedule.start, schedule.end));
	if (!schedule.rrule) return rid === '' ? { rid: '', start: schedule.start, end: schedule.end } : undefined;
	return isOccurrence(schedule, rid) ? occurrence(schedule, rid, duration) : undefined;
}

function overlaps(o: { start: Wall; end: Wall }, from: Wall, to: Wall): boolean {
	// A zero-length event (only a start time) counts as happening at its start.
	return o.start < to && (o.end > from || (o.end <= o.start && o.start >= from));
}

// --- The form: the series people choose, as RRULE text -----------------------------------------

export const REPEATS = ['none', 'weekly', 'monthlyDate', 'monthlyNth', 'custom'] as const;
export type Repeat = (typeof REPEATS)[number];
export const ENDS = ['never', 'until', 'count'] as const;

export interface RepeatChoice {
	repeat: Repeat;
	interval: number;
	weekdays: WeekdayCode[];
	ends: (typeof ENDS)[number];
	/** 'YYYY-MM-DD', the last day with an occurrence. */
	until: string;
	count: number;
	/** The rule as stored, kept when the form cannot show it (an imported rule, say). */
	custom?: string;
}

/** The RRULE for a choice, from a start. '' for no repetition. */
export function ruleFromChoice(choice: RepeatChoice, start: Wall): string {
	if (choice.repeat === 'none') return '';
	if (choice.repeat === 'custom') return choice.custom ?? '';
	const parts: string[] = [];
	if (choice.repeat === 'weekly') {
		parts.push('FREQ=WEEKLY');
		if (choice.interval > 1) parts.push(`INTERVAL=${choice.interval}`);
		const days = choice.weekdays.length ? choice.weekdays : [weekdayOf(start)];
		parts.push(`BYDAY=${WEEKDAYS.filter((d) => days.includes(d)).join(',')}`);
	} else if (choice.repeat === 'monthlyDate') {
		parts.push('FREQ=MONTHLY');
		if (choice.interval > 1) parts.push(`INTERVAL=${choice.interval}`);
		parts.push(`BYMONTHDAY=${floating(start).getUTCDate()}`);
	} else {
		parts.push('FREQ=MONTHLY');
		if (choice.interval > 1) parts.push(`INTERVAL=${choice.interval}`);
		parts.push(`BYDAY=${nthOf(start)}${weekdayOf(start)}`);
	}
	if (choice.ends === 'until' && choice.until) parts.push(`UNTIL=${choice.until.replaceAll('-', '')}T235900`);
	if (choice.ends === 'count' && choice.count > 0) parts.push(`COUNT=${choice.count}`);
	return parts.join(';');
}

/** The form's view of a stored rule; rules the form cannot show come back as 'custom'. */
export function choiceFromRule(rule: string, start: Wall): RepeatChoice {
	const base: RepeatChoice = { repeat: 'none', interval: 1, weekdays: [weekdayOf(start)], ends: 'never', until: '', count: 10 };
	if (!rule) return base;
	const options = parseRule(rule);
	if (!options) return { ...base, repeat: 'custom', custom: rule };
	const choice: RepeatChoice = { ...base, interval: options.interval ?? 1 };
	if (options.until) {
		choice.ends = 'until';
		choice.until = options.until.toISOString().slice(0, 10);
	} else if (options.count) {
		choice.ends = 'count';
		choice.count = options.count;
	}
	const rebuilt = (c: RepeatChoice) => ruleFromChoice(c, start) === rule;
	const days = (Array.isArray(options.byweekday) ? options.byweekday : options.byweekday ? [options.byweekday] : [])
		.map((d) => (typeof d === 'number' ? WEEKDAYS[d] : typeof d === 'string' ? d : WEEKDAYS[d.weekday]));
	const candidates: RepeatChoice[] = [
		{ ...choice, repeat: 'weekly', weekdays: days as WeekdayCode[] },
		{ ...choice, repeat: 'monthlyDate' },
		{ ...choice, repeat: 'monthlyNth' }
	];
	return candidates.find(rebuilt) ?? { ...base, repeat: 'custom', custom: rule };
}

/** The rule with its end moved to just before `day` ('YYYY-MM-DD'): a series "until" a change. */
export function endBefore(rule: string, day: string): string {
	const last = wallOf(new Date(floating(`${day}T00:00`).getTime() - 60_000));
	const kept = rule.split(';').filter((part) => !/^(UNTIL|COUNT)=/i.test(part));
	return [...kept, `UNTIL=${last.replaceAll('-', '').replace(':', '')}00`].join(';');
}

/** The rule without its COUNT, ending where it ended: a continued series cannot count from the start. */
export function withUntil(schedule: Pick<Schedule, 'start' | 'rrule'>): string {
	const options = parseRule(schedule.rrule);
	if (!options?.count) return schedule.rrule;
	const last = lastStart(schedule);
	const kept = schedule.rrule.split(';').filter((part) => !/^(UNTIL|COUNT)=/i.test(part));
	return last ? [...kept, `UNTIL=${last.replaceAll('-', '').replace(':', '')}00`].join(';') : schedule.rrule;
}
