// Quiet hours on the neighbourhood's own clock (Europe/Amsterdam, summer and winter time alike):
// what happens in the evening or at night is told in the morning.

export interface QuietHours {
	/** Hour the quiet begins (21 = 21.00). */
	from: number;
	/** Hour it ends (8 = 08.00); before `from`, so the quiet spans midnight. */
	until: number;
	timeZone: string;
}

export const DEFAULT_QUIET: QuietHours = { from: 21, until: 8, timeZone: 'Europe/Amsterdam' };

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string) {
	let format = formats.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
		formats.set(timeZone, format);
	}
	const part: Record<string, number> = {};
	for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') part[p.type] = Number(p.value);
	return { year: part.year!, month: part.month!, day: part.day!, hour: part.hour!, minute: part.minute!, second: part.second! };
}

/** The moment the wall clock in `timeZone` shows this date and hour. */
function momentOf(year: number, month: number, day: number, hour: number, timeZone: string): number {
	const guess = Date.UTC(year, month - 1, day, hour);
	const shown = wallClock(guess, timeZone);
	const offset = Date.UTC(shown.year, shown.month - 1, shown.day, shown.hour, shown.minute, shown.second) - guess;
	// Clocks change at 02.00/03.00, never near the end of the quiet, so one correction is exact.
	return guess - offset;
}

/** When the quiet hours around `now` end, or undefined when it is not quiet now. */
export function quietUntil(now: number, quiet: QuietHours = DEFAULT_QUIET): number | undefined {
	const local = wallClock(now, quiet.timeZone);
	const evening = local.hour >= quiet.from;
	if (!evening && local.hour >= quiet.until) return undefined;
	return momentOf(local.year, local.month, local.day + (evening ? 1 : 0), quiet.until, quiet.timeZone);
}
