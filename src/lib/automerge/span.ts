// Stretches of time as modules write them: what a document covers, what a page shows. This layer
// only compares them, as strings, so it need not know how a module writes a day.

/** A stretch of time, both ends included, as a module writes it (the agenda: days, `2026-03-02`). */
export interface Span {
	from: string;
	to: string;
}

/** Past any day a module writes or a page asks about: a span that goes on without end. */
export const FOREVER = '9999-12-31';

export const overlaps = (a: Span, b: Span): boolean => a.from <= b.to && a.to >= b.from;

/** Every moment of `inner` is in `outer`. */
export const contains = (outer: Span, inner: Span): boolean => outer.from <= inner.from && outer.to >= inner.to;
