// What the public page shows: the neighbourhood's name, description and helpdesk, and this week's
// activities an organiser marked public. The relay builds it from the documents it holds; the app
// checks the answer with the same schema. Nothing about members: no names, no organisers' contacts.
import * as v from 'valibot';
import { happenings } from '../agenda/calendar.ts';
import { todayWall, windowOf } from '../agenda/window.ts';
import { isWall } from '../agenda/time.ts';
import type { AgendaEvent } from '../agenda/view.ts';
import type { Neighbourhood } from './schema.ts';
import { isPhone } from '../validation/plain-text.ts';
import { line, lines } from '../validation/stored-text.ts';

const wall = v.pipe(v.string(), v.check(isWall));

export const PublicActivity = v.object({
	title: line(200),
	/** Wall-clock times in Amsterdam, as the agenda keeps them. */
	start: wall,
	end: wall,
	allDay: v.boolean(),
	place: line(200)
});
export type PublicActivity = v.InferOutput<typeof PublicActivity>;

export const PublicPage = v.object({
	name: line(200),
	description: lines(2000),
	contact: v.object({ phone: v.pipe(v.string(), v.check(isPhone)), hours: line(500) }),
	/** Monday 00:00 to the next Monday 00:00. */
	week: v.object({ from: wall, to: wall }),
	activities: v.pipe(v.array(PublicActivity), v.maxLength(1000))
});
export type PublicPage = v.InferOutput<typeof PublicPage>;

/**
 * The public page of a neighbourhood for the week of `now` (Monday to Sunday in Amsterdam, series
 * expanded as the agenda does), or undefined when its managers switched the page off. Skipped and
 * cancelled occurrences are left out: the page says what happens.
 */
export function publicPageOf(neighbourhood: Neighbourhood, events: AgendaEvent[], now = new Date()): PublicPage | undefined {
	if (!neighbourhood.settings.publicPage) return undefined;
	const week = windowOf('week', todayWall(now));
	const shown = events.filter((e) => e.public);
	const activities = happenings(shown, week.from, week.to)
		.filter((h) => !h.off)
		.map(({ event, occurrence }) => ({
			title: event.title,
			start: occurrence.start,
			end: occurrence.end,
			allDay: event.allDay,
			place: occurrence.override?.location || event.location.name
		}));
	return {
		name: neighbourhood.name,
		description: neighbourhood.description,
		contact: { phone: neighbourhood.contact.phone, hours: neighbourhood.contact.hours },
		week,
		activities
	};
}
