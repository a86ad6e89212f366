// The bellijst: per resident an intermediary acts for, what happened since a moment, so the
// intermediary can call and tell them. A help post's day comes along ("…, donderdag"): that is
// what a resident without a device needs to hear to plan.
import { instantOf, addDays, type Wall } from '../agenda/time.ts';
import { ZONE } from '../agenda/document.ts';
import type { Member } from '../members/view.ts';
import type { NewsItem } from './item.ts';
import { newsFor, type NewsSources } from './news.ts';

export interface CallLine {
	item: NewsItem;
	/** The day the help is for (YYYY-MM-DD), when the post names one. */
	day?: string;
}

export interface CallListEntry {
	resident: Member;
	lines: CallLine[];
}

/** The start of `days` days ago up to now, in Amsterdam: 1 is today, 2 is since yesterday. */
export function sinceDays(today: Wall, days: number): string {
	return instantOf(addDays(today, -(Math.max(1, days) - 1)), ZONE).toISOString();
}

export function callList(viewer: string, residents: Member[], sources: NewsSources, since: string): CallListEntry[] {
	const posts = new Map((sources.posts ?? []).map((p) => [p.id, p]));
	const news = newsFor({ member: viewer, actsFor: residents.map((r) => r.id) }, sources, since);
	return residents.map((resident) => ({
		resident,
		lines: news
			.filter((item) => item.for === resident.id)
			.map((item) => {
				const post = item.subject.module === 'help' ? posts.get(item.subject.id) : undefined;
				const day = post && post.when.kind !== 'flexible' ? post.when.from : undefined;
				return day ? { item, day } : { item };
			})
	}));
}
