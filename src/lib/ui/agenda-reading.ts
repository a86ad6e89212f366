// What the agenda page needs once the documents are open: the events read into days and cards, the
// calendar file, and who may import one. With the repeat rules' code and Automerge's types it is most of the page's
// JavaScript, and this week kept on the device paints without it: the page loads it after its first
// paint (bench/member-device.ts, open offline → this week's agenda visible).
export { byDay, happenings, matchesText, sameHappenings } from '$lib/agenda/calendar.ts';
export { toICalendar } from '$lib/agenda/ics.ts';
export { mayImportAgenda } from '$lib/agenda/rules.ts';
export { cardDaysOf, listOfHappenings, unchangedOr } from './agenda-card.ts';
