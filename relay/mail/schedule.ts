// When digests go out: 08:00 in the Netherlands every day, or Monday 08:00 for the weekly one,
// summer and winter time alike. A digest is due when such a moment has passed since the last one
// was handled, so a relay that was down at 08:00 sends it when it is back, once.
import type { DigestChoice } from '../../src/lib/notify/api.ts';

const ZONE = 'Europe/Amsterdam';
export const SEND_HOUR = 8;

const parts = new Intl.DateTimeFormat('en-GB', {
	timeZone: ZONE,
	hourCycle: 'h23',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	second: 'numeric'
});

/** The wall-clock time in Amsterdam at `ms`, read as if it were UTC. */
function wallAsUtc(ms: number): number {
	const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
	return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The moment it is `hour`:00 in Amsterdam on the given calendar day (08:00 is never in a clock change). */
function amsterdamAt(year: number, month: number, day: number, hour: number): number {
	const wall = Date.UTC(year, month, day, hour);
	let guess = wall - (wallAsUtc(wall) - wall);
	guess = wall - (wallAsUtc(guess) - guess);
	return guess;
}

/** The latest sending moment at or before `now`. */
export function latestSlot(now: Date, frequency: DigestChoice['frequency']): Date {
	const today = new Date(wallAsUtc(now.getTime()));
	for (let back = 0; back < 8; back++) {
		const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - back));
		if (frequency === 'weekly' && day.getUTCDay() !== 1) continue;
		const slot = amsterdamAt(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), SEND_HOUR);
		if (slot <= now.getTime()) return new Date(slot);
	}
	throw new Error('no sending moment in the last eight days');
}
