// What one resident is signed up for from today on: per event, the next date that counts and
// whether they have a place or wait. For the overview of an intermediary.
import { nextStart } from './recurrence.ts';
import { signupStatus, type SignupStatus } from './signups.ts';
import type { Wall } from './time.ts';
import type { AgendaEvent } from './view.ts';

export interface Participation {
	event: AgendaEvent;
	/** The date ('' for a one-off event's only date is its start). */
	rid: string;
	start: Wall;
	series: boolean;
	status: Exclude<SignupStatus, { kind: 'none' }>;
}

export function participationOf(events: AgendaEvent[], member: string, today: Wall): Participation[] {
	const out: Participation[] = [];
	for (const event of events) {
		if (event.cancelled) continue;
		for (const signup of event.signups) {
			if (signup.member !== member || signup.cancelledAt) continue;
			const series = Boolean(event.rrule) && signup.occurrence === '';
			const rid = event.rrule ? (series ? (nextStart(event, today) ?? '') : signup.occurrence) : '';
			const start = event.rrule ? rid : event.start;
			if (!start || start < today) continue;
			const status = signupStatus(event, rid, member);
			if (status.kind !== 'none') out.push({ event, rid, start, series, status });
		}
	}
	return out.sort((a, b) => a.start.localeCompare(b.start));
}
