// This week of the agenda as the agenda page last showed it, kept on the device so the next start
// on /agenda paints it at once: opening this year's agenda takes seconds on a cheap phone
// (bench/member-device.ts). Kept as the page's own words, in the language they were shown in: the
// sentences about times and places need the repeat rules' code, which loads with the documents.
// The days too are kept in words ("dinsdag 1 december"): the first date the browser writes in a page
// loads its date data, 90 to 220 ms on that phone, which would come before the week shows.
// Only for the week it was shown in, and it goes with the device's copy (forget.ts).
import * as v from 'valibot';
import { keepView, keptView, type KeyValue } from './kept-view.ts';

/** One key per neighbourhood, root URL appended. */
export const REMEMBERED_WEEK = 'noaber.week.';

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const day = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));

/** One happening as the agenda lists it, in words. */
const Card = v.object({
	key: text(200),
	/** Only a page of this agenda: a damaged value must not become a link elsewhere. */
	href: v.pipe(text(300), v.regex(/^\/agenda\/[\w-]+(\?datum=[\w:.-]+)?$/)),
	time: text(200),
	title: text(1000),
	off: v.boolean(),
	changed: v.boolean(),
	location: text(1000),
	category: text(200),
	/** This person goes, or waits for a place. */
	mark: v.picklist(['going', 'waiting', '']),
	/** "Nog 3 plaatsen", or nothing. */
	places: text(200)
});
export type AgendaCard = v.InferOutput<typeof Card>;

const Week = v.object({
	language: text(10),
	/** The Monday of the week shown. */
	week: day,
	/** That Monday in words, as the heading says it. */
	label: text(200),
	days: v.pipe(v.array(v.object({ day, label: text(200), cards: v.pipe(v.array(Card), v.maxLength(1000)) })), v.maxLength(7))
});
export type RememberedWeek = v.InferOutput<typeof Week>;

export function rememberWeek(local: KeyValue, root: string, week: RememberedWeek): void {
	keepView(local, REMEMBERED_WEEK + root, week);
}

/** The week kept for this neighbourhood, if it is `week` and was shown in `language`. */
export function rememberedWeek(local: KeyValue, root: string, wanted: { week: string; language: string }): RememberedWeek | undefined {
	const kept = keptView(local, REMEMBERED_WEEK + root, Week);
	return kept && kept.week === wanted.week && kept.language === wanted.language ? kept : undefined;
}
