// A short line per happening for the digest until the news module's own texts are wired in: by
// kind, with the activity's title where there is one. Never a message, phone number or address
// (NewsItem carries none).
import type { NewsItem, NewsKind } from '../../src/lib/news/item.ts';
import { m } from '../../src/lib/paraglide/messages.js';
import type { Language } from './compose.ts';

const KEY = {
	response: 'mail.item.response',
	accepted: 'mail.item.accepted',
	done: 'mail.item.done',
	thanked: 'mail.item.thanked',
	'event-changed': 'mail.item.eventChanged',
	'event-cancelled': 'mail.item.eventCancelled',
	'moved-up': 'mail.item.movedUp',
	'approval-waiting': 'mail.item.approvalWaiting',
	report: 'mail.item.report'
} as const satisfies Record<NewsKind, keyof typeof m>;

export function plainNewsText(item: NewsItem, language: Language): string {
	const about = item.subject.title ?? item.subject.category;
	return m[KEY[item.kind]]({ subject: about ? `: ${about}` : '' }, { locale: language });
}
