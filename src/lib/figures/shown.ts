// How figures leave the module: as rows of one number each, with every count under 5 hidden, so a
// figure can never point at one neighbour ("minder dan 5"). The page, its CSV download and the
// operator's report all show figures through this.
import { csv } from '../text/csv.ts';
import type { MonthFigures } from './monthly.ts';

/** Counts under this are never shown. */
export const SMALLEST_SHOWN = 5;

export const MEASURES = [
	'membersJoined',
	'membersLeft',
	'membersActive',
	'requestsMade',
	'requestsMatched',
	'requestsDone',
	'offersMade',
	'offersMatched',
	'offersDone',
	'firstResponseHours',
	'newActivities',
	'signups',
	'waitingList',
	'mapAdded',
	'mapChecked'
] as const;
export type Measure = (typeof MEASURES)[number];

/** A count as it may be shown: the number, or 'few' for under five. */
export type Shown = number | 'few';

export const shown = (count: number): Shown => (count < SMALLEST_SHOWN ? 'few' : count);

export interface FigureRow {
	month: string;
	measure: Measure;
	/** The help category, for the help board's measures. */
	category?: string;
	value: Shown;
}

/**
 * Every figure of every month as a row. The median time to a first response is shown only when at
 * least five posts of that month had one, and then rounded to whole hours.
 */
export function figureRows(months: readonly MonthFigures[]): FigureRow[] {
	const rows: FigureRow[] = [];
	for (const f of months) {
		const add = (measure: Measure, count: number, category?: string) => rows.push({ month: f.month, measure, ...(category ? { category } : {}), value: shown(count) });
		add('membersJoined', f.members.joined);
		add('membersLeft', f.members.left);
		add('membersActive', f.members.active);
		for (const h of f.help) {
			add('requestsMade', h.requests.made, h.category);
			add('requestsMatched', h.requests.matched, h.category);
			add('requestsDone', h.requests.done, h.category);
			add('offersMade', h.offers.made, h.category);
			add('offersMatched', h.offers.matched, h.category);
			add('offersDone', h.offers.done, h.category);
		}
		const hours = f.firstResponse.medianHours;
		rows.push({ month: f.month, measure: 'firstResponseHours', value: f.firstResponse.posts < SMALLEST_SHOWN || hours === null ? 'few' : Math.round(hours) });
		add('newActivities', f.agenda.newActivities);
		add('signups', f.agenda.signups);
		add('waitingList', f.agenda.waitingList);
		add('mapAdded', f.map.added);
		add('mapChecked', f.map.checked);
	}
	return rows;
}

/** One month's figures with the help board's summed over its categories, each as it may be shown. */
export function monthOverview(months: readonly MonthFigures[]): Array<{ month: string; figures: Record<Measure, Shown> }> {
	return months.map((f) => {
		const { month, help } = f;
		// One month's rows at a time: scanning every month's rows per cell grew with the square of the history.
		const rows = figureRows([f]);
		const figures = {} as Record<Measure, Shown>;
		for (const measure of MEASURES) {
			const mine = rows.filter((r) => r.measure === measure);
			figures[measure] = mine.length === 1 && mine[0]!.category === undefined ? mine[0]!.value : shown(help.reduce((total, h) => total + helpCount(h, measure), 0));
		}
		return { month, figures };
	});
}

function helpCount(h: MonthFigures['help'][number], measure: Measure): number {
	const [side, what] = /^(requests|offers)(Made|Matched|Done)$/.exec(measure)?.slice(1) ?? [];
	if (!side || !what) return 0;
	return h[side as 'requests' | 'offers'][what.toLowerCase() as 'made' | 'matched' | 'done'];
}

export interface CsvWords {
	/** Column headings: month, figure, category, count. */
	header: [string, string, string, string];
	measure: (measure: Measure) => string;
	category: (category: string) => string;
	/** What stands for a count under five ("minder dan 5"). */
	few: string;
}

/** Every figure as one line of a spreadsheet, in the reader's language. */
export function figuresCsv(rows: readonly FigureRow[], words: CsvWords): string {
	const [month, measure, category, value] = words.header;
	return csv(
		rows.map((row) => ({
			[month]: row.month,
			[measure]: words.measure(row.measure),
			[category]: row.category ? words.category(row.category) : '',
			[value]: row.value === 'few' ? words.few : String(row.value)
		})),
		words.header
	);
}
