import { describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n/language.svelte.ts';
import { repeatText, whenText } from './agenda-text.ts';

describe('how the agenda says when', () => {
	it('reads naturally in Dutch and in English', () => {
		locale.language = 'nl';
		expect(whenText({ allDay: false }, { start: '2026-03-03T10:00', end: '2026-03-03T11:30' })).toBe('dinsdag 3 maart, 10.00–11.30');
		expect(whenText({ allDay: true }, { start: '2026-03-03T00:00', end: '2026-03-03T00:00' })).toBe('dinsdag 3 maart, hele dag');
		expect(whenText({ allDay: false }, { start: '2026-03-03T19:30', end: '2026-03-03T19:30' }, { day: false })).toBe('19.30');
		expect(repeatText({ start: '2026-03-10T10:00', rrule: 'FREQ=MONTHLY;BYDAY=2TU' })).toBe('Elke tweede dinsdag van de maand');
		expect(repeatText({ start: '2026-03-10T10:00', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270630T235900' })).toBe(
			'Om de 2 weken op dinsdag en donderdag, tot en met woensdag 30 juni 2027'
		);
		locale.language = 'en';
		expect(whenText({ allDay: false }, { start: '2026-03-03T10:00', end: '2026-03-03T11:30' })).toBe('Tuesday 3 March, 10:00–11:30');
		expect(repeatText({ start: '2026-03-31T10:00', rrule: 'FREQ=MONTHLY;BYDAY=-1TU' })).toBe('Every last Tuesday of the month');
		locale.language = 'nl';
	});
});
