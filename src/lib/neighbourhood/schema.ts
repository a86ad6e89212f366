// Validation at the boundary: a root read from any peer, and details typed into a form or sent to
// the relay. Error messages are message keys that the app translates.
import * as v from 'valibot';
import { automergeUrl, id, str } from '../automerge/fields.ts';
import { readAgendaIndex } from '../agenda/document.ts';
import { readPeriodIndex } from '../automerge/period-index.ts';
import { readHelpIndex } from '../help/document.ts';
import { readVersion } from './document.ts';
import { isLine, isPhone, lineInput, linesInput, requiredLineInput } from '../validation/plain-text.ts';
import { line, lines } from '../validation/stored-text.ts';

export const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

/** What a manager types when creating or editing a neighbourhood. */
export const DetailsInput = v.object({
	name: requiredLineInput(80),
	description: linesInput(300),
	area: lineInput(200),
	contactName: lineInput(80),
	contactPhone: v.pipe(
		v.string(),
		v.trim(),
		v.check((s) => s === '' || PHONE.test(s), 'phone')
	),
	contactHours: lineInput(120)
});
export type DetailsInput = v.InferOutput<typeof DetailsInput>;

export const emptyDetails = (name = ''): DetailsInput => ({
	name,
	description: '',
	area: '',
	contactName: '',
	contactPhone: '',
	contactHours: ''
});

const flag = v.fallback(v.boolean(), true);

/**
 * The root as the app reads it. Optional parts fall back so one odd field never hides a
 * neighbourhood; a missing id or members document reads as '' and `view.ts` looks further.
 */
export const RootView = v.object({
	schemaVersion: v.pipe(v.optional(v.unknown()), v.transform(readVersion)),
	id: v.fallback(id, ''),
	name: v.fallback(line(200), ''),
	description: v.fallback(lines(2000), ''),
	area: v.fallback(v.object({ description: v.fallback(line(1000), '') }), { description: '' }),
	contact: v.fallback(
		v.object({
			name: v.fallback(line(200), ''),
			phone: v.fallback(v.pipe(str, v.check(isPhone)), ''),
			hours: v.fallback(line(500), '')
		}),
		{ name: '', phone: '', hours: '' }
	),
	managers: v.pipe(
		v.fallback(v.record(v.string(), v.unknown()), {}),
		v.transform((m) => Object.keys(m).filter((k) => m[k] === true))
	),
	/** 'agenda:<memberId>' and 'map:<memberId>' keys, as pairs. */
	editors: v.pipe(
		v.fallback(v.record(v.string(), v.unknown()), {}),
		v.transform((m) =>
			Object.keys(m)
				.filter((k) => m[k] === true && /^(agenda|map):[A-Za-z0-9_-]{8,64}$/.test(k))
				.map((k) => ({ module: k.slice(0, k.indexOf(':')) as 'agenda' | 'map', memberId: k.slice(k.indexOf(':') + 1) }))
		)
	),
	relays: v.pipe(
		v.fallback(v.array(v.unknown()), []),
		v.transform((list) => list.map((r) => v.safeParse(line(500), r)).flatMap((r) => (r.success ? [r.output] : [])))
	),
	docs: v.fallback(v.object({
		members: v.fallback(automergeUrl, ''),
		/** Period documents of the help board, newest period first. */
		help: v.pipe(v.optional(v.unknown(), {}), v.transform(readHelpIndex)),
		/** Archive documents of the help board (one or more per year). */
		helpArchive: v.pipe(
			v.fallback(v.record(v.string(), v.unknown()), {}),
			v.transform((index) =>
				Object.entries(index)
					.flatMap(([url, year]) => {
						const y = v.safeParse(str, year);
						return y.success && /^\d{4}$/.test(y.output) && v.is(automergeUrl, url) ? [{ year: y.output, url }] : [];
					})
					.sort((a, b) => b.year.localeCompare(a.year) || a.url.localeCompare(b.url))
			)
		),
		/** Quarter documents whose posts now live in the archive: not opened for the board. */
		helpSealed: v.pipe(
			v.fallback(v.record(v.string(), v.unknown()), {}),
			v.transform((index) => Object.keys(index).filter((url) => v.is(automergeUrl, url)))
		),
		/** Agenda documents: the series document(s) and one per year. */
		agenda: v.pipe(v.optional(v.unknown(), {}), v.transform(readAgendaIndex)),
		/** The social map's document(s). */
		map: v.pipe(
			v.optional(v.unknown(), {}),
			v.transform((index) => readPeriodIndex(index, (p) => p === 'map'))
		)
	}), () => ({ members: '', help: [], helpArchive: [], helpSealed: [], agenda: [], map: [] })),
	settings: v.fallback(
		v.object({
			modules: v.fallback(v.object({ help: flag, agenda: flag, map: flag }), {
				help: true,
				agenda: true,
				map: true
			}),
			helpCategories: v.pipe(
				v.fallback(v.array(v.unknown()), []),
				v.transform((list) =>
					list.map((c) => v.safeParse(str, c)).flatMap((r) => (r.success && r.output.length <= 40 && isLine(r.output) ? [r.output] : []))
				)
			),
			// On unless a manager switched it off: an odd value from a peer does not hide the page.
			publicPage: v.optional(v.pipe(v.unknown(), v.transform((p) => p !== false)), true)
		}),
		{ modules: { help: true, agenda: true, map: true }, helpCategories: [], publicPage: true }
	),
	createdAt: v.fallback(str, '')
});
export type Neighbourhood = v.InferOutput<typeof RootView>;

/** Where the root lists every module's documents: what module declarations read. */
export type RootIndex = Neighbourhood['docs'];
