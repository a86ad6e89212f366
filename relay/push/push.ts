// Phone notifications, put together: the relay's VAPID keys, the devices' subscriptions, the
// courier that talks to push services and the schedule that decides what goes when. The news
// module hands each happening to `news`; the access book's removals reach `prune`.
import type { NewsItem } from '../../src/lib/news/item.ts';
import type { AccessBook } from '../access-book.ts';
import type { Logger } from '../log.ts';
import { Courier, type CourierOptions } from './courier.ts';
import { PushSchedule, systemClock, type Clock, type PushText } from './schedule.ts';
import type { QuietHours } from './quiet-hours.ts';
import { Subscriptions } from './subscriptions.ts';
import { waitingFile } from './waiting.ts';
import { WeeklyRequests, type WeeklyOptions } from './weekly.ts';
import { somethingNew } from './texts.ts';
import { loadVapid, vapidSubject, type Vapid } from './vapid.ts';

export interface PushOptions {
	/** NOABER_PUSH_CONTACT. */
	contact?: string;
	text: PushText;
	recipientsOf?: (neighbourhood: string, member: string) => Iterable<string>;
	clock?: Clock;
	quiet?: QuietHours;
	windowMs?: number;
	courier?: Partial<Omit<CourierOptions, 'vapid' | 'subscriptions' | 'log'>>;
	/** Lets devices subscribe with http://localhost endpoints: for tests and benchmarks only. */
	localEndpoints?: boolean;
	/** The weekly "new requests in what I like to help with" (weekly.ts): runs when given. */
	weekly?: Pick<WeeklyOptions, 'boardOf' | 'nameOf'>;
}

export interface Push {
	vapid: Vapid;
	localEndpoints: boolean;
	subscriptions: Subscriptions;
	courier: Courier;
	schedule: PushSchedule;
	/** The news module's callback. */
	news(neighbourhood: string, item: NewsItem): void;
	weekly?: WeeklyRequests;
	/** Deletes the subscriptions of devices the access book no longer lets in. */
	prune(): void;
	close(): void;
}

const RECIPIENTS_MS = 2000;

/** Until the news module's texts are in: a plain sentence that says nothing about anyone. */
export const plainText: PushText = (_item, language) => ({ title: 'Noaber', body: somethingNew(language) });

/**
 * The resident hears about their own news; a resident with no device of their own (someone an
 * intermediary acts for) through the devices of whoever acts for them.
 */
export function recipientsInBook(book: AccessBook, now: () => number = Date.now) {
	// The members list is built afresh on every call (with every device and ticket): read once per
	// neighbourhood for a moment, not once per happening. Removed devices are kept from pushes by
	// `prune`, not by this list.
	const read = new Map<string, { at: number; members: ReturnType<AccessBook['members']>['members'] }>();
	return (neighbourhood: string, member: string): string[] => {
		let kept = read.get(neighbourhood);
		if (!kept || now() - kept.at > RECIPIENTS_MS) {
			kept = { at: now(), members: book.members(neighbourhood).members };
			read.set(neighbourhood, kept);
		}
		const members = kept.members;
		const own = members.find((x) => x.id === member);
		if (!own || own.status !== 'active') return [];
		if (own.devices.length > 0) return [member];
		return members.filter((x) => x.status === 'active' && x.actsFor.includes(member)).map((x) => x.id);
	};
}

/** Whether a device may still be told anything: its member is in and the device not removed. */
export function liveInBook(book: AccessBook) {
	// One read of each neighbourhood's members per sweep, however many devices it has.
	const live = new Map<string, Set<string>>();
	return (neighbourhood: string, device: string, member: string): boolean => {
		let devices = live.get(neighbourhood);
		if (!devices) {
			const members = book.members(neighbourhood).members.filter((x) => x.status !== 'removed');
			devices = new Set(members.flatMap((x) => x.devices.map((d) => `${x.id} ${d.id}`)));
			live.set(neighbourhood, devices);
		}
		return devices.has(`${member} ${device}`);
	};
}

export function startPush(input: { data: string; log: Logger; publicUrl?: string; book: AccessBook } & Partial<PushOptions>): Push {
	const { data, log, book } = input;
	const vapid = loadVapid(data, vapidSubject(input.contact, input.publicUrl, log), log);
	const subscriptions = new Subscriptions(data, log);
	const courier = new Courier({ vapid, subscriptions, log, ...input.courier });
	const schedule = new PushSchedule({
		subscriptions,
		courier,
		recipientsOf: input.recipientsOf ?? recipientsInBook(book),
		text: input.text ?? plainText,
		clock: input.clock,
		quiet: input.quiet,
		windowMs: input.windowMs,
		log,
		store: waitingFile(data, log)
	});
	const weekly = input.weekly ? new WeeklyRequests({ data, subscriptions, courier, clock: input.clock ?? systemClock, log, ...input.weekly }) : undefined;
	weekly?.start();
	return {
		vapid,
		localEndpoints: input.localEndpoints ?? false,
		subscriptions,
		courier,
		schedule,
		weekly,
		news: schedule.news,
		prune: () => {
			try {
				subscriptions.keepOnly(liveInBook(book));
			} catch (error) {
				log.error({ reason: (error as Error).message }, 'deleting push subscriptions failed');
			}
		},
		close: () => {
			weekly?.stop();
			schedule.stop();
			courier.stop();
		}
	};
}
