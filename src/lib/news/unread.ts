// What of the news a member has not seen yet on this device: everything after their last
// "Alles gelezen" that they have not opened since. Kept per neighbourhood on the device only: the
// relay need not know what someone read.
import type { NewsItem } from './item.ts';

export interface Seen {
	/** Everything up to this moment (ISO) counts as read. */
	since: string;
	/** Items opened one by one after it. */
	read: string[];
}

/** On a device's first visit the past week counts as new, so an intermediary starts with something to go by. */
const FIRST_LOOK_DAYS = 7;

export function firstSeen(now: Date): Seen {
	return { since: new Date(now.getTime() - FIRST_LOOK_DAYS * 24 * 3600_000).toISOString(), read: [] };
}

/** A stored record as it was written, or undefined for anything else (another version, a hand edit). */
export function parseSeen(raw: string | null): Seen | undefined {
	if (!raw) return undefined;
	try {
		const value = JSON.parse(raw) as { since?: unknown; read?: unknown };
		if (typeof value.since !== 'string' || Number.isNaN(Date.parse(value.since))) return undefined;
		const read = Array.isArray(value.read) ? value.read.filter((id): id is string => typeof id === 'string') : [];
		return { since: value.since, read };
	} catch {
		return undefined;
	}
}

export const unread = (items: NewsItem[], seen: Seen): NewsItem[] => items.filter((n) => n.at > seen.since && !seen.read.includes(n.id));

export function markRead(seen: Seen, id: string): Seen {
	return seen.read.includes(id) ? seen : { since: seen.since, read: [...seen.read, id] };
}

/**
 * "Alles gelezen": up to the newest item shown (not the clock, which on a phone may be behind a
 * neighbour's), and the one-by-one list is no longer needed.
 */
export function allRead(seen: Seen, items: NewsItem[]): Seen {
	const newest = items.reduce((latest, n) => (n.at > latest ? n.at : latest), seen.since);
	return { since: newest, read: [] };
}
