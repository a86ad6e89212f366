// A happening in the words the agenda lists it with: worked out from the documents here, and kept
// as they are for the next start (device/remembered-week.ts).
import type { Happening } from '$lib/agenda/calendar.ts';
import { places, signupStatus } from '$lib/agenda/signups.ts';
import type { Member } from '$lib/members/view.ts';
import type { AgendaCard } from '$lib/device/remembered-week.ts';
import { agendaCategoryLabel, placesText, whenText } from './agenda-text.ts';

export function cardOf({ event, occurrence, off }: Happening, me: Member | undefined): AgendaCard {
	const status = me ? signupStatus(event, occurrence.rid, me.id).kind : 'none';
	return {
		key: `${event.id}${occurrence.rid}`,
		href: `/agenda/${event.id}${occurrence.rid ? `?datum=${occurrence.rid}` : ''}`,
		time: whenText(event, occurrence, { day: false }),
		title: event.title,
		off,
		changed: !off && Boolean(occurrence.override),
		location: occurrence.override?.location || event.location.name,
		category: agendaCategoryLabel(event.category),
		mark: status === 'going' || status === 'waiting' ? status : '',
		places: event.capacity > 0 && !off ? placesText(places(event, occurrence.rid).free) : ''
	};
}
