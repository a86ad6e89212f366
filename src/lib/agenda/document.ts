// The agenda as stored. One-off events live in a document per year of their start; series live
// in a "series" document, because a weekly coffee morning that began years ago must show this
// week without opening every old year. The root lists the documents (URL → year or 'series').
import type { Counter, ImmutableString } from '@automerge/automerge/slim';
import { readPeriodIndex, type PeriodEntry } from '../automerge/period-index.ts';

/** Every event carries its IANA zone; the app writes only this one. */
export const ZONE = 'Europe/Amsterdam';

/** The document for series, which are never split by year. */
export const SERIES = 'series';
/** The name of an agenda period document: a year of one-off events, or the series. */
export const AGENDA_PERIOD = /^(\d{4}|series)$/;

/** The root's agenda index (document URL → year or 'series') as entries. */
export const readAgendaIndex = (index: unknown): PeriodEntry[] => readPeriodIndex(index, (p) => AGENDA_PERIOD.test(p));

export const AGENDA_CATEGORIES = [
	'ontmoeting',
	'bewegen',
	'eten',
	'cultuur',
	'leren',
	'gezondheid',
	'spreekuur',
	'overig'
] as const;

export const ACCESSIBILITY = ['wheelchair', 'hearingLoop', 'toilet', 'parking', 'seating'] as const;
export type Accessibility = (typeof ACCESSIBILITY)[number];

/** A skipped occurrence (EXDATE). `null` once undone: nothing is deleted. */
export interface SkipDoc {
	by: ImmutableString;
	actedBy?: ImmutableString;
	at: ImmutableString;
	reason: ImmutableString;
}

/** One changed occurrence, keyed by its original start (the RFC 5545 RECURRENCE-ID). */
export interface OverrideDoc {
	start?: ImmutableString;
	end?: ImmutableString;
	location?: ImmutableString;
	note?: ImmutableString;
	by: ImmutableString;
	at: ImmutableString;
}

/**
 * A sign-up for the whole event or series (`occurrence` empty) or for one occurrence. Places and
 * the waiting list are derived from the order of sign-ups, so two devices signing up offline
 * merge without a conflict, and a cancellation moves the next person up by itself.
 */
export interface SignupDoc {
	id: ImmutableString;
	member: ImmutableString;
	actedBy?: ImmutableString;
	occurrence: ImmutableString;
	at: ImmutableString;
	cancelledAt?: ImmutableString;
	cancelledBy?: ImmutableString;
	/**
	 * For a sign-up to every time: the dates (occurrence ids) this person will not come, with
	 * when they said so. "Deze keer niet" gives the place to the next person for that date only.
	 */
	away?: Record<string, ImmutableString>;
}

export interface EventDoc {
	id: ImmutableString;
	title: ImmutableString;
	/** Automerge text: volunteers edit it together, merged per character. */
	description: string;
	/** Wall-clock times in `zone`, 'YYYY-MM-DDTHH:mm'. All-day events use 00:00 and an inclusive last day. */
	start: ImmutableString;
	end: ImmutableString;
	allDay: boolean;
	zone: ImmutableString;
	/** RFC 5545 RRULE without DTSTART; UNTIL in wall-clock time. Empty for a one-off event. */
	rrule: ImmutableString;
	skipped: Record<string, SkipDoc | null>;
	overrides: Record<string, OverrideDoc>;
	/** When a series was changed "from a date on": the series it continues. */
	follows?: ImmutableString;
	location: { name: ImmutableString; lat?: number; lon?: number };
	organiser: ImmutableString;
	contact: ImmutableString;
	category: ImmutableString;
	cost: ImmutableString;
	accessibility: Record<string, true>;
	accessibilityNote: ImmutableString;
	/** Places per occurrence; 0 means no limit. */
	capacity: number;
	signups: Record<string, SignupDoc>;
	/** Raised on every change, for calendar apps (iCalendar SEQUENCE). */
	sequence: Counter;
	/** The iCalendar UID of an imported event, so importing the same file again adds nothing twice. */
	uid?: ImmutableString;
	/** A service on the social map this event belongs to (its consultation hour, say). */
	service?: ImmutableString;
	/** Shown on the neighbourhood's public page (the QR code on paper); absent means not. */
	public?: boolean;
	author: ImmutableString;
	actedBy?: ImmutableString;
	createdAt: ImmutableString;
	updatedAt: ImmutableString;
	updatedBy: ImmutableString;
	/** "Gaat niet door": shown struck through, undone by setting it to null. */
	cancelled: { by: ImmutableString; at: ImmutableString; reason: ImmutableString } | null;
}

export interface AgendaDoc {
	period: ImmutableString;
	events: Record<string, EventDoc>;
}

/** In the root: agenda document URL → '2026' (one-off events of that year) or 'series'. */
export type AgendaIndex = Record<string, ImmutableString>;
