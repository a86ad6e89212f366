// Decides which device hears about what, and when. For each happening (a NewsItem from the news
// module): the members who should hear of it (the resident, or for a resident without a device
// the intermediaries who act for them), their devices that chose this kind, then:
// - quiet hours: kept and told at the end of them (08.00);
// - a group (one post, one activity): the first happening is told at once, so an answer arrives
//   within seconds; what follows within ten minutes waits and is told as ONE notification with
//   the same tag at the end of those ten minutes, counting them all ("3 nieuwe reacties op uw
//   hulpvraag"), which replaces the first on the screen. A device gets at most one push per group
//   per ten minutes; what waited through quiet hours comes as one.
// Clock and timers are injected, so tests run a night in milliseconds.
import type { NewsItem } from '../../src/lib/news/item.ts';
import { severalText } from './texts.ts';
import type { PushPayload, PushChoice } from '../../src/lib/notify/api.ts';
import type { Logger } from '../log.ts';
import type { Delivery, Outcome } from './courier.ts';
import { DEFAULT_QUIET, quietUntil, type QuietHours } from './quiet-hours.ts';
import type { Subscribed, Subscriptions } from './subscriptions.ts';
import { createHash } from 'node:crypto';
import type { WaitingStore } from './waiting.ts';

export type Language = PushChoice['language'];
/**
 * The short, kind text of one happening (src/lib/news/text.ts). `reader`: the member whose device
 * it goes to (an intermediary reads news of a resident by name).
 */
export type PushText = (item: NewsItem, language: Language, reader: { neighbourhood: string; member: string }) => { title: string; body: string };

export interface Clock {
	now(): number;
	setTimer(run: () => void, ms: number): unknown;
	clearTimer(timer: unknown): void;
}

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimer: (run, ms) => {
		const timer = setTimeout(run, ms);
		// Pending notifications never keep a stopping relay alive.
		timer.unref();
		return timer;
	},
	clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout)
};

export interface ScheduleOptions {
	subscriptions: Subscriptions;
	courier: { deliver(to: Subscribed, delivery: Delivery): Promise<Outcome> };
	/** Who should hear about news for `member`: the member, or the intermediaries of a resident without a device. */
	recipientsOf: (neighbourhood: string, member: string) => Iterable<string>;
	text: PushText;
	clock?: Clock;
	quiet?: QuietHours;
	/** Happenings of one group within this long become one notification. */
	windowMs?: number;
	/** Seconds a push service keeps a notification for a phone that is off. */
	ttl?: number;
	log?: Logger;
	/** Where what waits is kept across restarts (waiting.ts); nowhere when not given. */
	store?: WaitingStore;
}

export const GROUP_WINDOW_MS = 10 * 60 * 1000;
const MAX_REMEMBERED = 100_000;
/** A count on a notification needs no more than this many happenings behind it. */
const MAX_TOLD = 99;

interface Group {
	neighbourhood: string;
	device: string;
	group: string;
	/** When this device was last told about this group. */
	sentAt?: number;
	waiting: NewsItem[];
	/** What the notification on the screen stands for so far: everything told since the group began. */
	told: NewsItem[];
	timer?: unknown;
}

export class PushSchedule {
	readonly #o: ScheduleOptions;
	readonly #clock: Clock;
	readonly #quiet: QuietHours;
	readonly #windowMs: number;
	readonly #groups = new Map<string, Group>();
	/** `<device> <item id>` already told or waiting: the same happening reported twice is told once. */
	readonly #told = new Set<string>();
	#stopped = false;
	#quietRead: { minute: number; until: number | undefined } | undefined;

	constructor(options: ScheduleOptions) {
		this.#o = options;
		this.#clock = options.clock ?? systemClock;
		this.#quiet = options.quiet ?? DEFAULT_QUIET;
		this.#windowMs = options.windowMs ?? GROUP_WINDOW_MS;
		this.#restore();
	}

	/** Takes up what waited when the relay stopped: told when it is due, at once when it is overdue. */
	#restore() {
		const saved = this.#o.store?.load() ?? [];
		const now = this.#clock.now();
		for (const kept of saved) {
			const key = `${kept.device}\n${kept.group}`;
			const group: Group = { ...kept };
			this.#groups.set(key, group);
			for (const item of [...group.waiting, ...group.told]) this.#remember(`${group.device} ${item.id}`);
			const windowEnd = group.sentAt === undefined ? now : group.sentAt + this.#windowMs;
			this.#wake(key, group, Math.max(now, this.#quietUntil(now) ?? now, windowEnd));
		}
	}

	#saveTimer: unknown;
	/** Written at most once a second: a busy evening is one write, not one per happening. */
	#changed() {
		if (!this.#o.store || this.#saveTimer !== undefined) return;
		this.#saveTimer = this.#clock.setTimer(() => {
			this.#saveTimer = undefined;
			this.#save();
		}, 1000);
	}

	#save() {
		try {
			this.#o.store?.save([...this.#groups.values()].filter((g) => g.waiting.length > 0).map(({ timer: _timer, ...kept }) => kept));
		} catch (error) {
			this.#o.log?.error({ reason: (error as Error).message }, 'waiting notifications could not be kept');
		}
	}

	/** Notifications waiting for quiet hours or a group's window to end. */
	get waiting(): number {
		let count = 0;
		for (const group of this.#groups.values()) count += group.waiting.length;
		return count;
	}

	/** The news module's callback: something happened in this neighbourhood. */
	news = (neighbourhood: string, item: NewsItem): void => {
		if (this.#stopped) return;
		try {
			this.#take(neighbourhood, item);
		} catch (error) {
			// A notification is never worth the change that caused it.
			this.#o.log?.error({ neighbourhood, reason: (error as Error).message }, 'push scheduling failed');
		}
	};

	stop(): void {
		if (this.#saveTimer !== undefined) this.#clock.clearTimer(this.#saveTimer);
		this.#saveTimer = undefined;
		this.#save();
		this.#stopped = true;
		for (const group of this.#groups.values()) if (group.timer !== undefined) this.#clock.clearTimer(group.timer);
		this.#groups.clear();
	}

	#take(neighbourhood: string, item: NewsItem): void {
		const members = new Set(this.#o.recipientsOf(neighbourhood, item.for));
		// Nobody is told about what they did themselves.
		if (item.actor !== undefined) members.delete(item.actor);
		if (members.size === 0) return;
		const now = this.#clock.now();
		const quietEnd = this.#quietUntil(now);
		for (const device of this.#o.subscriptions.devicesOf(neighbourhood, members)) {
			if (!device.choice.kinds.includes(item.kind)) continue;
			const told = `${device.device} ${item.id}`;
			if (this.#told.has(told)) continue;
			this.#remember(told);
			const key = `${device.device}\n${item.group}`;
			let group = this.#groups.get(key);
			if (!group) {
				group = { neighbourhood, device: device.device, group: item.group, waiting: [], told: [] };
				this.#groups.set(key, group);
			}
			const recent = group.sentAt !== undefined && now - group.sentAt < this.#windowMs;
			group.waiting.push(item);
			this.#changed();
			if (quietEnd === undefined && !recent && group.waiting.length === 1) this.#tell(key, group);
			else this.#wake(key, group, Math.max(quietEnd ?? now, (group.sentAt ?? now) + (recent ? this.#windowMs : 0)));
		}
	}

	/** Read from the time zone's rules once a minute, not for every happening. */
	#quietUntil(now: number): number | undefined {
		const minute = Math.floor(now / 60_000);
		if (this.#quietRead?.minute !== minute) this.#quietRead = { minute, until: quietUntil(minute * 60_000, this.#quiet) };
		return this.#quietRead.until;
	}

	#remember(told: string) {
		this.#told.add(told);
		// Oldest first: a Set keeps insertion order.
		if (this.#told.size > MAX_REMEMBERED) this.#told.delete(this.#told.values().next().value!);
	}

	/** (Re)sets the group's timer to `at`, keeping an earlier one already set for the same moment. */
	#wake(key: string, group: Group, at: number) {
		if (group.timer !== undefined) this.#clock.clearTimer(group.timer);
		group.timer = this.#clock.setTimer(() => this.#due(key), Math.max(0, at - this.#clock.now()));
	}

	#due(key: string) {
		const group = this.#groups.get(key);
		if (!group || this.#stopped) return;
		group.timer = undefined;
		const now = this.#clock.now();
		if (group.waiting.length === 0) {
			// The window after the last push has passed with nothing new: forget the group.
			this.#groups.delete(key);
			return;
		}
		const quietEnd = this.#quietUntil(now);
		if (quietEnd !== undefined) return this.#wake(key, group, quietEnd);
		this.#tell(key, group);
	}

	/** Sends what the group has waiting as one notification, then keeps the window open. */
	#tell(key: string, group: Group) {
		const items = group.waiting.splice(0);
		this.#changed();
		group.told.push(...items);
		if (group.told.length > MAX_TOLD) group.told.splice(0, group.told.length - MAX_TOLD);
		group.sentAt = this.#clock.now();
		this.#wake(key, group, group.sentAt + this.#windowMs);
		// Read afresh: a device removed or switched off meanwhile is told nothing.
		const device = this.#o.subscriptions.get(group.device);
		if (!device || device.neighbourhood !== group.neighbourhood) return;
		if (!items.some((i) => device.choice.kinds.includes(i.kind))) return;
		const payload = this.#payload(group.told.filter((i) => device.choice.kinds.includes(i.kind)), device.choice.language, { neighbourhood: device.neighbourhood, member: device.member });
		void this.#o.courier.deliver(device, { payload, ttl: this.#o.ttl ?? 24 * 3600, urgency: 'normal', topic: topicOf(group.group) });
	}

	#payload(items: NewsItem[], language: Language, reader: { neighbourhood: string; member: string }): PushPayload {
		const latest = items[items.length - 1]!;
		const text = this.#o.text(latest, language, reader);
		const body = items.length === 1 ? text.body : severalText(items.map((i) => i.kind), items.length, language);
		return {
			title: clip(text.title, 120),
			body: clip(body, 300),
			path: /^\/[A-Za-z0-9/_?=&.-]*$/.test(latest.path) && latest.path.length <= 200 ? latest.path : '/',
			tag: clip(latest.group, 120),
			count: items.length
		};
	}
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** Web Push topics are at most 32 URL-safe characters; a group's hash fits and reveals nothing. */
const topicOf = (group: string) => createHash('sha256').update(group).digest('base64url').slice(0, 32);
