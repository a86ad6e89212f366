// What this device has read of a neighbourhood's news, kept in localStorage (see unread.ts), and
// the count on the app icon where the device shows one (Badging API).
import { browser } from '$app/environment';
import type { NewsItem } from './item.ts';
import { allRead, firstSeen, markRead, parseSeen, unread, type Seen } from './unread.ts';

const PREFIX = 'noaber.news.';

export class SeenOnDevice {
	#key: string;
	seen = $state<Seen>(firstSeen(new Date()));

	/** `neighbourhood`: the neighbourhood's root URL, the same on every visit. */
	constructor(neighbourhood: string) {
		this.#key = PREFIX + neighbourhood;
		if (!browser) return;
		const stored = parseSeen(localStorage.getItem(this.#key));
		if (stored) this.seen = stored;
		// Kept from the first visit on, or "the past week" would move along with every visit.
		else this.#save();
	}

	unread(items: NewsItem[]): NewsItem[] {
		return unread(items, this.seen);
	}

	read(id: string): void {
		this.seen = markRead(this.seen, id);
		this.#save();
	}

	readAll(items: NewsItem[]): void {
		this.seen = allRead(this.seen, items);
		this.#save();
	}

	#save() {
		try {
			localStorage.setItem(this.#key, JSON.stringify(this.seen));
		} catch {
			// Storage full or refused (private mode): read items come back next time, nothing worse.
		}
	}
}

type Badging = { setAppBadge?: (count?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

/** The number on the app icon, where the device supports it; elsewhere nothing happens. */
export function showCount(count: number): void {
	if (!browser) return;
	const badging = navigator as Badging;
	const done = count > 0 ? badging.setAppBadge?.(count) : badging.clearAppBadge?.();
	// Refused when the app is not installed: the list on the home screen says it anyway.
	done?.catch(() => undefined);
}
