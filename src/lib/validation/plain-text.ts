// The one definition of "text a person can read", for every domain schema. A peer's value that
// passes a type check can still be poison: a line break in an event's UID or title adds lines to
// the calendar feed that every subscriber's calendar app then rejects, a control character is not
// allowed in iCalendar at all, a bidi override turns the rest of a line around on the screen of
// whoever reads it. Forms clean what a person types (so an invisible character pasted from a
// word processor never makes a form refuse); what comes from peers is checked, and refused when it
// does not fit, so it never reaches a feed, an export, a print or another person's screen
// (stored-text.ts: apart, because reading stored text needs Automerge and a form does not).
import * as v from 'valibot';

/**
 * Control characters (C0 but tab and line breaks, DEL, C1), the Unicode line and paragraph
 * separators, bidi embeddings, overrides and isolates, non-characters and unpaired surrogates.
 * Tab is allowed: iCalendar TEXT and CSV carry it, and a tab pasted into a title is harmless.
 */
const FORBIDDEN =
	// eslint-disable-next-line no-control-regex -- finding control characters is the point
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'g');
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** Text on one line (a title, a name, a place): no line breaks and no control characters. */
export const isLine = (text: string): boolean => !FORBIDDEN.test(text) && !/[\r\n]/.test(text);

/** Text that may run over several lines (a description): line feeds, but no other control characters. */
export const isLines = (text: string): boolean => !FORBIDDEN.test(text) && !text.includes('\r');

/** What a person typed in one-line field, made fit: line breaks become spaces, controls go. */
export const cleanLine = (text: string): string => text.replace(LINE_BREAK, ' ').replace(FORBIDDEN_ALL, '');

/** What a person typed in a text area, made fit: every kind of line break becomes '\n', controls go. */
export const cleanLines = (text: string): string => text.replace(LINE_BREAK, '\n').replace(FORBIDDEN_ALL, '');

// --- Forms: clean, trim, then check the length (message keys as the forms expect) ---------------

/** A one-line form field of at most `max` characters. */
export const lineInput = (max: number) => v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.maxLength(max, 'too_long'));

/** A one-line form field that must be filled in. */
export const requiredLineInput = (max: number) => v.pipe(lineInput(max), v.minLength(1, 'required'));

/** A text area of at most `max` characters. */
export const linesInput = (max: number) => v.pipe(v.string(), v.transform(cleanLines), v.trim(), v.maxLength(max, 'too_long'));

/**
 * An event's iCalendar UID: what the app makes (`<id>@noaber`) or what an imported file had.
 * Printable, no spaces at either end, and at most 255 characters (RFC 5545 sets no limit; calendar
 * apps and this app's import do).
 */
export const isUid = (text: string): boolean => text.length >= 1 && text.length <= 255 && isLine(text) && text.trim() === text && !text.includes('\t');

/** A telephone number as stored: digits, spaces, + ( ) - . / only, so a tel: link is what it shows. */
export const isPhone = (text: string): boolean => /^[+0-9 ()./-]{0,40}$/.test(text);

/**
 * An e-mail address, the same for the form, what peers wrote and the HSDS export (whose schema
 * checks this form, as JSON Schema's `email` format does): plain ASCII, one @, a dotted domain.
 */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
export const isEmail = (text: string): boolean => text === '' || (text.length <= 254 && EMAIL.test(text));

/** The first `max` UTF-16 units of a text, never half of an emoji (half a pair is refused above). */
export function clip(text: string, max: number): string {
	const cut = text.slice(0, max);
	return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
