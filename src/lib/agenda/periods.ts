// Agenda documents: one per year for one-off events (by the year they start), one for series.
// The root lists them (URL → '2026' or 'series'); see period-index.ts for why the index is flat.
import { imm } from '../automerge/immutable.ts';
import type { PeriodEntry } from '../automerge/period-index.ts';
import { AGENDA_PERIOD, SERIES, type AgendaDoc } from './document.ts';
import { addDays, type Wall } from './time.ts';

/** The document an event belongs in: its series document, or its start's year. */
export const agendaPeriodOf = (event: { start: string; rrule: string }): string =>
	event.rrule ? SERIES : event.start.slice(0, 4);

/**
 * What to open before the agenda shows (series, and the years of the fortnight around today), and
 * what to load after it, newest first. Without any recent year, the newest listed one comes
 * first, so the agenda is never empty while older years load.
 */
export function agendaLoadOrder(entries: PeriodEntry[], today: Wall): { first: PeriodEntry[]; later: PeriodEntry[] } {
	const years = new Set([addDays(today, -7), today, addDays(today, 14)].map((w) => w.slice(0, 4)));
	let first = entries.filter((e) => e.period === SERIES || years.has(e.period));
	if (!first.some((e) => e.period !== SERIES)) {
		const newest = entries.find((e) => e.period !== SERIES);
		if (newest) first = [...first, ...entries.filter((e) => e.period === newest.period)];
	}
	const chosen = new Set(first);
	return { first, later: entries.filter((e) => !chosen.has(e)) };
}

export const newAgendaDoc = (period: string): AgendaDoc => ({ period: imm(period), events: {} });

/** A new agenda document, for the first event of a year or the first series; only those have one. */
export function freshAgendaDoc(period: string): AgendaDoc {
	if (!AGENDA_PERIOD.test(period)) throw new Error(`Not an agenda period: ${period}`);
	return newAgendaDoc(period);
}
