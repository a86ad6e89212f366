// What happened in the agenda that concerns a member who signed up: the activity changed or was
// cancelled, or they moved up from the waiting list. Computed from the events as they are, so every
// device and the relay find the same items with the same ids.
import type { NewsItem } from '../news/item.ts';
import { ZONE } from './document.ts';
import { lastStart } from './recurrence.ts';
import type { Signup } from './schema.ts';
import { isAway, places } from './signups.ts';
import { dayOf, wallAt } from './time.ts';
import type { AgendaEvent } from './view.ts';

function item(event: AgendaEvent, rid: string, fields: Omit<NewsItem, 'subject' | 'path' | 'group'>): NewsItem {
	return {
		...fields,
		subject: { module: 'agenda', id: event.id, title: event.title, ...(rid ? { occurrence: rid } : {}) },
		path: rid ? `/agenda/${event.id}?datum=${rid}` : `/agenda/${event.id}`,
		group: `agenda:${event.id}`
	};
}

const dayAt = (iso: string): string => dayOf(wallAt(new Date(iso), ZONE));

// Expanding a rule with an end is not free; an event is read once per change, so remember it.
const ends = new WeakMap<AgendaEvent, string | undefined>();
function seriesEnd(event: AgendaEvent): string | undefined {
	if (!ends.has(event)) ends.set(event, lastStart(event));
	return ends.get(event);
}

/**
 * A change after the date someone signed up for is no news to them: the coffee morning of last
 * week moving its next date is told to those signed up for the next one.
 */
function over(event: AgendaEvent, rid: string, at: string): boolean {
	const last = rid || (event.rrule ? seriesEnd(event) : event.end);
	return last !== undefined && dayOf(last) < dayAt(at);
}

/** Sign-ups still standing, one per member (their first), made before `at`. */
function signedUpBefore(event: AgendaEvent, at: string, rid?: string): Signup[] {
	const seen = new Set<string>();
	return event.signups.filter((s) => {
		if (s.cancelledAt || s.at >= at || seen.has(s.member)) return false;
		if (rid !== undefined && ((s.occurrence !== '' && s.occurrence !== rid) || isAway(s, rid))) return false;
		if (over(event, rid ?? s.occurrence, at)) return false;
		seen.add(s.member);
		return true;
	});
}

/** Someone's own act (or their intermediary's for them) is no news to them. */
const forSomeoneElse = (news: NewsItem) => news.for !== news.actor;

function cancelledNews(event: AgendaEvent): NewsItem[] {
	const cancelled = event.cancelled;
	if (!cancelled) return [];
	return signedUpBefore(event, cancelled.at).map((s) =>
		item(event, '', {
			id: `event-cancelled:${event.id}:${cancelled.at}:${s.member}`,
			kind: 'event-cancelled',
			for: s.member,
			at: cancelled.at,
			actor: cancelled.by
		})
	);
}

/**
 * When, where and how often: what someone who signed up must hear again when it changes. The
 * description is typed live (every keystroke stamps the event), so edits that leave these alone
 * keep the item's id and are told at most once, not once per letter.
 */
function fingerprint(event: AgendaEvent): string {
	const text = [event.start, event.end, event.allDay, event.rrule, event.location.name].join('\u0000');
	// FNV-1a: short and the same on every device; a collision only means one notice less.
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
	return hash.toString(36);
}

function changedNews(event: AgendaEvent): NewsItem[] {
	const out: NewsItem[] = [];
	const dated = new Set<string>();
	for (const [rid, override] of Object.entries(event.overrides)) {
		dated.add(override.at);
		for (const s of signedUpBefore(event, override.at, rid)) {
			out.push(
				item(event, rid, {
					id: `event-changed:${event.id}:${rid}:${override.at}:${s.member}`,
					kind: 'event-changed',
					for: s.member,
					at: override.at,
					actor: override.by
				})
			);
		}
	}
	for (const [rid, skip] of Object.entries(event.skipped)) {
		dated.add(skip.at);
		for (const s of signedUpBefore(event, skip.at, rid)) {
			out.push(
				item(event, rid, {
					id: `event-changed:${event.id}:${rid}:skipped:${skip.at}:${s.member}`,
					kind: 'event-changed',
					for: s.member,
					at: skip.at,
					actor: skip.by,
					...(skip.actedBy ? { actedBy: skip.actedBy } : {})
				})
			);
		}
	}
	// Skipping or changing one date also stamps the event; that is told above, once, with its date.
	const at = event.updatedAt;
	if (at && at > event.createdAt && !dated.has(at)) {
		const what = fingerprint(event);
		for (const s of signedUpBefore(event, at)) {
			out.push(
				item(event, '', {
					id: `event-changed:${event.id}:${what}:${s.member}`,
					kind: 'event-changed',
					for: s.member,
					at,
					...(event.updatedBy ? { actor: event.updatedBy } : {})
				})
			);
		}
	}
	return out;
}

/** The sign-ups as they stood at `t`: made by then, cancelled or away only if before (or at) it. */
function asAt(signups: Signup[], t: string, inclusive: boolean): Signup[] {
	const gone = (when: string | undefined) => when !== undefined && (inclusive ? when <= t : when < t);
	return signups
		.filter((s) => s.at <= t)
		.map((s) => ({
			...s,
			cancelledAt: gone(s.cancelledAt) ? s.cancelledAt : undefined,
			away: Object.fromEntries(Object.entries(s.away ?? {}).filter(([, when]) => gone(when)))
		}));
}

/**
 * Who moved up from the waiting list, per date: the order of sign-ups is replayed just before and
 * just after each cancellation (or "deze keer niet"), and whoever waited before and had a place
 * after, and still has one now, moved up then.
 */
function movedUpNews(event: AgendaEvent): NewsItem[] {
	if (event.capacity <= 0) return [];
	const rids = new Set<string>(['']);
	for (const s of event.signups) {
		if (s.occurrence) rids.add(s.occurrence);
		if (event.rrule) for (const rid of Object.keys(s.away ?? {})) rids.add(rid);
	}
	const out: NewsItem[] = [];
	const wholeSeries = new Set<string>();
	for (const rid of [...rids].sort()) {
		const relevant = event.signups.filter((s) => s.occurrence === '' || s.occurrence === rid);
		const moments = new Set<string>();
		for (const s of relevant) {
			if (s.cancelledAt) moments.add(s.cancelledAt);
			const away = rid ? s.away?.[rid] : undefined;
			if (away && s.occurrence === '') moments.add(away);
		}
		const now = new Set(places(event, rid).participants.map((s) => s.member));
		const latest = new Map<string, string>();
		for (const t of [...moments].sort()) {
			if (over(event, rid, t)) continue;
			const before = places({ capacity: event.capacity, signups: asAt(relevant, t, false) }, rid);
			const after = new Set(places({ capacity: event.capacity, signups: asAt(relevant, t, true) }, rid).participants.map((s) => s.member));
			for (const waiting of before.waiting) if (after.has(waiting.member) && now.has(waiting.member)) latest.set(waiting.member, t);
		}
		for (const [member, at] of latest) {
			// Moving up for every date of a series is told once, not again for each date with its own sign-ups.
			if (rid === '') wholeSeries.add(`${member}|${at}`);
			else if (wholeSeries.has(`${member}|${at}`)) continue;
			out.push(
				item(event, rid, {
					id: `moved-up:${event.id}:${rid}:${member}`,
					kind: 'moved-up',
					for: member,
					at
				})
			);
		}
	}
	return out;
}

/** The news items one event gives, for every member signed up. */
export function eventNews(event: AgendaEvent): NewsItem[] {
	const out = event.cancelled ? cancelledNews(event) : [...changedNews(event), ...movedUpNews(event)];
	return out.filter(forSomeoneElse);
}

/** Every news item of the given events (any order). */
export const agendaNews = (events: AgendaEvent[]): NewsItem[] => events.flatMap(eventNews);
