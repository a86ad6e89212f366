// Sentences about events, shared by the agenda, the event page and the print views.
import { choiceFromRule, type Occurrence } from '$lib/agenda/recurrence.ts';
import { nthOf, weekdayOf, WEEKDAYS } from '$lib/agenda/weekdays.ts';
import type { AgendaEvent } from '$lib/agenda/view.ts';
import { dayOf } from '$lib/agenda/time.ts';
import { formatWallDay, formatWallTime } from '$lib/i18n/dates.ts';
import type { MessageKey } from '$lib/i18n/language.svelte.ts';
import { t } from '$lib/i18n/language.svelte.ts';

/** "dinsdag 3 maart, 10.00–11.30"; "vrijdag 3 april – zondag 5 april" for several days. */
export function whenText(event: Pick<AgendaEvent, 'allDay'>, occurrence: Pick<Occurrence, 'start' | 'end'>, options: { day?: boolean } = {}): string {
	const { start, end } = occurrence;
	const day = options.day === false ? '' : formatWallDay(start);
	const severalDays = dayOf(end) > dayOf(start);
	if (event.allDay) {
		return severalDays ? `${day} – ${formatWallDay(end)}` : [day, t('agenda.allDay')].filter(Boolean).join(', ');
	}
	if (severalDays) return `${day}, ${formatWallTime(start)} – ${formatWallDay(end)}, ${formatWallTime(end)}`;
	const times = end > start ? `${formatWallTime(start)}–${formatWallTime(end)}` : formatWallTime(start);
	return [day, times].filter(Boolean).join(', ');
}

function list(items: string[]): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${t('agenda.and')} ${items[items.length - 1]}`;
}

/** "Elke tweede dinsdag van de maand, tot en met 30 juni 2027"; '' for a one-off event. */
export function repeatText(event: Pick<AgendaEvent, 'start' | 'rrule'>): string {
	if (!event.rrule) return '';
	const choice = choiceFromRule(event.rrule, event.start);
	const n = choice.interval;
	let text: string;
	if (choice.repeat === 'weekly') {
		const days = list(WEEKDAYS.filter((d) => choice.weekdays.includes(d)).map((d) => t(`weekday.${d}`)));
		text = n > 1 ? t('agenda.repeat.everyWeeks', { n, days }) : t('agenda.repeat.weekly', { days });
	} else if (choice.repeat === 'monthlyDate') {
		const day = Number(event.start.slice(8, 10));
		text = n > 1 ? t('agenda.repeat.everyMonthsDate', { n, day }) : t('agenda.repeat.monthlyDate', { day });
	} else if (choice.repeat === 'monthlyNth') {
		const nth = t(`agenda.nth.${nthOf(event.start)}` as MessageKey);
		const weekday = t(`weekday.${weekdayOf(event.start)}`);
		text = n > 1 ? t('agenda.repeat.everyMonthsNth', { n, nth, weekday }) : t('agenda.repeat.monthlyNth', { nth, weekday });
	} else {
		return t('agenda.repeat.custom');
	}
	if (choice.ends === 'until') return `${text}, ${t('agenda.repeat.until', { date: formatWallDay(choice.until, { year: true }) })}`;
	if (choice.ends === 'count') return `${text}, ${t('agenda.repeat.count', { count: choice.count })}`;
	return text;
}

export function placesText(free: number): string {
	if (!Number.isFinite(free)) return '';
	return free === 0 ? t('agenda.full') : free === 1 ? t('agenda.placesOne') : t('agenda.places', { count: free });
}
