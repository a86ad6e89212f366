// "Cijfers": usage figures per month for the implementation team (municipality, welfare
// organisation), counted from the neighbourhood's own documents through the modules' views, so no
// vendor has to deliver them. Counts only: nobody is named, and small counts are hidden when shown
// (shown.ts). The app's "Cijfers" page and the operator's `noaber report` use this one function.
import type { AgendaEvent } from '../agenda/view.ts';
import type { Post } from '../help/view.ts';
import type { Service } from '../map/view.ts';
import type { Member } from '../members/schema.ts';

export interface HelpFigures {
	category: string;
	requests: { made: number; matched: number; done: number };
	offers: { made: number; matched: number; done: number };
}

export interface MonthFigures {
	/** 'YYYY-MM', on Dutch time. */
	month: string;
	/** Active: did something on the board, the agenda or the map, or had it done for them by their intermediary. */
	members: { joined: number; left: number; active: number };
	/** Per category, only categories with something that month. */
	help: HelpFigures[];
	/** Of posts made this month that got a response: how many, and the median hours to the first. */
	firstResponse: { posts: number; medianHours: number | null };
	agenda: { newActivities: number; signups: number; waitingList: number };
	map: { added: number; checked: number };
}

export interface FigureSources {
	/** Members who left included: they joined, and left, in some month. */
	members: readonly Member[];
	posts: readonly Post[];
	events: readonly AgendaEvent[];
	services: readonly Service[];
}

const dutchMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit' });

/** The month an ISO time falls in, on Dutch time; undefined for an absent or unreadable time. */
export function monthOf(at: string | undefined): string | undefined {
	if (!at) return undefined;
	const time = Date.parse(at);
	return Number.isNaN(time) ? undefined : dutchMonth.format(time).slice(0, 7);
}

function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Sign-ups that landed on a waiting list when they were made: the event was full for that date
 * (or for every date) with the sign-ups made earlier and not cancelled by then.
 */
function waitingSignups(event: AgendaEvent): AgendaEvent['signups'] {
	if (event.capacity <= 0) return [];
	const byDate = new Map<string, AgendaEvent['signups']>();
	for (const signup of event.signups) byDate.set(signup.occurrence, [...(byDate.get(signup.occurrence) ?? []), signup]);
	const waiting: AgendaEvent['signups'] = [];
	for (const signups of byDate.values()) {
		const ordered = [...signups].sort((a, b) => a.at.localeCompare(b.at));
		ordered.forEach((signup, i) => {
			const ahead = ordered.slice(0, i).filter((earlier) => !earlier.cancelledAt || earlier.cancelledAt > signup.at).length;
			if (ahead >= event.capacity) waiting.push(signup);
		});
	}
	return waiting;
}

/** A month in which nothing was counted (yet). */
const nothingIn = (month: string): MonthFigures => ({
	month,
	members: { joined: 0, left: 0, active: 0 },
	help: [],
	firstResponse: { posts: 0, medianHours: null },
	agenda: { newActivities: 0, signups: 0, waitingList: 0 },
	map: { added: 0, checked: 0 }
});

/** Every month from the first thing counted to the last, oldest first, none skipped. */
export function monthlyFigures(sources: FigureSources): MonthFigures[] {
	const months = new Map<string, MonthFigures>();
	const active = new Map<string, Set<string>>();
	const responseHours = new Map<string, number[]>();
	const figures = (month: string): MonthFigures => {
		let found = months.get(month);
		if (!found) {
			found = nothingIn(month);
			months.set(month, found);
		}
		return found;
	};
	const at = (time: string | undefined, count: (f: MonthFigures) => void) => {
		const month = monthOf(time);
		if (month) count(figures(month));
	};
	const acted = (time: string | undefined, ...who: (string | undefined)[]) => {
		const month = monthOf(time);
		if (!month) return;
		figures(month);
		const set = active.get(month) ?? new Set<string>();
		for (const id of who) if (id) set.add(id);
		active.set(month, set);
	};
	const helpRow = (f: MonthFigures, category: string): HelpFigures => {
		let row = f.help.find((r) => r.category === category);
		if (!row) {
			row = { category, requests: { made: 0, matched: 0, done: 0 }, offers: { made: 0, matched: 0, done: 0 } };
			f.help.push(row);
		}
		return row;
	};

	for (const member of sources.members) {
		at(member.joinedAt, (f) => f.members.joined++);
		at(member.leftAt, (f) => f.members.left++);
	}
	for (const post of sources.posts) {
		const side = (f: MonthFigures) => helpRow(f, post.category)[post.kind === 'request' ? 'requests' : 'offers'];
		at(post.createdAt, (f) => side(f).made++);
		at(post.agreedAt, (f) => side(f).matched++);
		at(post.doneAt, (f) => side(f).done++);
		acted(post.createdAt, post.author, post.actedBy);
		for (const response of post.responses) acted(response.at, response.by, response.actedBy);
		const first = post.responses.map((r) => Date.parse(r.at)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b)[0];
		const made = monthOf(post.createdAt);
		if (first !== undefined && made) {
			const hours = Math.max(0, (first - Date.parse(post.createdAt)) / 3_600_000);
			responseHours.set(made, [...(responseHours.get(made) ?? []), hours]);
		}
	}
	for (const event of sources.events) {
		at(event.createdAt, (f) => f.agenda.newActivities++);
		acted(event.createdAt, event.author, event.actedBy);
		if (event.updatedAt && event.updatedBy) acted(event.updatedAt, event.updatedBy);
		for (const signup of event.signups) {
			at(signup.at, (f) => f.agenda.signups++);
			acted(signup.at, signup.member, signup.actedBy);
		}
		for (const signup of waitingSignups(event)) at(signup.at, (f) => f.agenda.waitingList++);
	}
	for (const service of sources.services) {
		at(service.created.at, (f) => f.map.added++);
		acted(service.created.at, service.created.by, service.created.actedBy);
		// Made and checked in one go is an addition, not a check.
		if (service.reviewed.at !== service.created.at) {
			at(service.reviewed.at, (f) => f.map.checked++);
			acted(service.reviewed.at, service.reviewed.by, service.reviewed.actedBy);
		}
	}

	for (const [month, ids] of active) figures(month).members.active = ids.size;
	for (const [month, hours] of responseHours) figures(month).firstResponse = { posts: hours.length, medianHours: median(hours) };
	for (const f of months.values()) f.help.sort((a, b) => a.category.localeCompare(b.category));
	return fillGaps([...months.values()].sort((a, b) => a.month.localeCompare(b.month)));
}

function nextMonth(month: string): string {
	const [year, m] = month.split('-').map(Number) as [number, number];
	return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

function fillGaps(sorted: MonthFigures[]): MonthFigures[] {
	if (sorted.length === 0) return sorted;
	const byMonth = new Map(sorted.map((f) => [f.month, f]));
	const all: MonthFigures[] = [];
	for (let month = sorted[0]!.month; month <= sorted.at(-1)!.month; month = nextMonth(month)) {
		all.push(byMonth.get(month) ?? nothingIn(month));
	}
	return all;
}
