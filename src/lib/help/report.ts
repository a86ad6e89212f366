// Usage figures for the neighbourhood itself: per month and category, posts made, matched and
// done. Counted from the data every device holds, so no vendor is needed to deliver them.
import type { Post } from './view.ts';

export interface ReportRow {
	month: string;
	category: string;
	made: number;
	matched: number;
	done: number;
}

/** Each event counts in the month it happened (a post made in March and done in April counts in both). */
export function monthlyReport(posts: Post[]): ReportRow[] {
	const rows = new Map<string, ReportRow>();
	const add = (at: string | undefined, category: string, field: 'made' | 'matched' | 'done') => {
		if (!at) return;
		const month = at.slice(0, 7);
		const key = `${month}\n${category}`;
		let row = rows.get(key);
		if (!row) {
			row = { month, category, made: 0, matched: 0, done: 0 };
			rows.set(key, row);
		}
		row[field] += 1;
	};
	for (const post of posts) {
		add(post.createdAt, post.category, 'made');
		add(post.agreedAt, post.category, 'matched');
		add(post.doneAt, post.category, 'done');
	}
	return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || a.category.localeCompare(b.category));
}
