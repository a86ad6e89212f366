// What the push tests share: a fake clock the schedule runs on, a small real text function, and
// news items as the news module makes them.
import type { NewsItem, NewsKind } from '../../src/lib/news/item.ts';
import type { Clock, PushText } from '../../relay/push/schedule.ts';

export interface FakeClock extends Clock {
	/** Moves time forward, running every timer that falls due on the way, in order. */
	advance(ms: number): void;
	/** Timers not yet run. */
	pending(): number;
}

export function fakeClock(start: number): FakeClock {
	let now = start;
	let next = 0;
	const timers = new Map<number, { at: number; run: () => void }>();
	return {
		now: () => now,
		setTimer(run, ms) {
			next += 1;
			timers.set(next, { at: now + ms, run });
			return next;
		},
		clearTimer(timer) {
			timers.delete(timer as number);
		},
		advance(ms) {
			const end = now + ms;
			for (;;) {
				let first: [number, { at: number; run: () => void }] | undefined;
				for (const entry of timers) if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
				if (!first) break;
				timers.delete(first[0]);
				now = Math.max(now, first[1].at);
				first[1].run();
			}
			now = end;
		},
		pending: () => timers.size
	};
}

/** First names by member id, as the members document would give them. */
export const NAMES: Record<string, string> = {};

const SENTENCES: Record<NewsKind, { nl: string; en: string }> = {
	response: { nl: '{actor} wil helpen met {subject}', en: '{actor} wants to help with {subject}' },
	accepted: { nl: '{actor} neemt uw hulp aan', en: '{actor} accepted your help' },
	done: { nl: '{subject} is klaar', en: '{subject} is done' },
	thanked: { nl: '{actor} bedankt u', en: '{actor} thanks you' },
	'event-changed': { nl: '{subject} is veranderd', en: '{subject} has changed' },
	'event-cancelled': { nl: '{subject} gaat niet door', en: '{subject} is cancelled' },
	'moved-up': { nl: 'U heeft een plek bij {subject}', en: 'You have a place at {subject}' },
	'approval-waiting': { nl: 'Iemand wacht om mee te doen', en: 'Someone is waiting to join' },
	report: { nl: 'Een buur meldde iets', en: 'A neighbour reported something' }
};

/** A plain text function like src/lib/news/text.ts: first name and category, never more. */
export const testText: PushText = (item, language) => {
	const name = item.actor ? (NAMES[item.actor] ?? (language === 'nl' ? 'Een buur' : 'A neighbour')) : '';
	const subject = item.subject.category ?? item.subject.title ?? '';
	return { title: 'Noaber', body: SENTENCES[item.kind][language].replace('{actor}', name).replace('{subject}', subject) };
};

let serial = 0;
export function item(kind: NewsKind, input: { for: string; actor?: string; post?: string; at?: string; category?: string }): NewsItem {
	serial += 1;
	const post = input.post ?? 'post0001';
	return {
		id: `${kind}:${post}:${serial}`,
		kind,
		for: input.for,
		at: input.at ?? new Date().toISOString(),
		...(input.actor ? { actor: input.actor } : {}),
		subject: { module: 'help', id: post, category: input.category ?? 'boodschappen' },
		path: `/hulp/${post}`,
		group: `help:${post}`
	};
}
