// Someone asked to join and waits to be let in: news for whoever may let them in. The relay knows
// it first (the access book, not a document), so this item comes from the relay's join, and it
// names nobody: the name stays on the "Aanmeldingen" page, off a lock screen.
import type { NewsItem } from '../news/item.ts';

/** The page where a manager lets people in. */
export const WAITING_PATH = '/leden/aanmeldingen';

/** `forMember` is filled in per manager by whoever delivers it. */
export function waitingNews(member: string, at: string, forMember = ''): NewsItem {
	return {
		id: `approval-waiting:${member}`,
		kind: 'approval-waiting',
		for: forMember,
		at,
		subject: { module: 'members', id: member },
		path: WAITING_PATH,
		group: 'members:waiting'
	};
}
