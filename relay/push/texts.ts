// The relay's own push texts, in the member's language. Each message is imported from its own
// compiled file: the whole message index is a thousand modules, which took the relay about nine
// seconds longer to start through tsx on a busy machine.
import * as several from '../../src/lib/paraglide/messages/push_several.js';
import * as response from '../../src/lib/paraglide/messages/push_several_response.js';
import * as accepted from '../../src/lib/paraglide/messages/push_several_accepted.js';
import * as done from '../../src/lib/paraglide/messages/push_several_done.js';
import * as thanked from '../../src/lib/paraglide/messages/push_several_thanked.js';
import * as eventChanged from '../../src/lib/paraglide/messages/push_several_event_changed.js';
import * as eventCancelled from '../../src/lib/paraglide/messages/push_several_event_cancelled.js';
import * as movedUp from '../../src/lib/paraglide/messages/push_several_moved_up.js';
import * as approvalWaiting from '../../src/lib/paraglide/messages/push_several_approval_waiting.js';
import * as report from '../../src/lib/paraglide/messages/push_several_report.js';
import * as something from '../../src/lib/paraglide/messages/push_something.js';
import type { NewsKind } from '../../src/lib/news/item.ts';

type Locale = 'nl' | 'en';
type Counted = (inputs: { count: number }, options: { locale: Locale }) => string;

const BY_KIND: Record<NewsKind, Counted> = {
	response: response['push.several.response'],
	accepted: accepted['push.several.accepted'],
	done: done['push.several.done'],
	thanked: thanked['push.several.thanked'],
	'event-changed': eventChanged['push.several.event-changed'],
	'event-cancelled': eventCancelled['push.several.event-cancelled'],
	'moved-up': movedUp['push.several.moved-up'],
	'approval-waiting': approvalWaiting['push.several.approval-waiting'],
	report: report['push.several.report']
};

/** "3 nieuwe reacties op uw hulpvraag"; for mixed kinds "3 nieuwe berichten voor u". */
export function severalText(kinds: NewsKind[], count: number, locale: Locale): string {
	const kind = kinds[0];
	if (kind === undefined || !kinds.every((k) => k === kind)) return several['push.several']({ count }, { locale });
	return BY_KIND[kind]({ count }, { locale });
}

export const somethingNew = (locale: Locale): string => something['push.something']({}, { locale });
