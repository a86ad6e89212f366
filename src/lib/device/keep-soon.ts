// When a page keeps what it shows for the next start (KeepOnIdle.svelte): once it is idle, so the
// keeping does not lengthen the task that brought the view, but at once when the page is hidden
// first. A resident who switches to another app, or closes the tab, within a second of the agenda
// showing would otherwise find it "wordt geopend" next time: a phone may end a hidden page without
// giving it another turn.
import type { Idle } from './idle.ts';

/** The page's side of it: whether it is seen, and a word when that changes. */
export type Visibility = Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;

/** Runs `keep` once, when the page is idle or hidden, whichever comes first. Returns the cancel. */
export function keepSoon(keep: () => void, idle: Idle, page: Visibility): () => void {
	let settled = false;
	const settle = () => {
		settled = true;
		page.removeEventListener('visibilitychange', onChange);
	};
	const now = () => {
		if (settled) return;
		settle();
		keep();
	};
	const onChange = () => {
		if (page.visibilityState === 'hidden') now();
	};
	page.addEventListener('visibilitychange', onChange);
	void idle().then(now);
	return settle;
}
