// Once a week (Monday 08.00 in Amsterdam), for the devices that chose it on the profile (off by
// default): how many new requests for help there are in what the member likes to help with
// ("3 nieuwe hulpvragen waar u bij kunt helpen"). One push per device, naming no one and no
// request; it opens the board. A relay that was down at 08.00 sends the round when it is back,
// once: the last round is kept in <data>/push/weekly.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as one from '../../src/lib/paraglide/messages/push_weekly_one.js';
import * as many from '../../src/lib/paraglide/messages/push_weekly_many.js';
import type { Post } from '../../src/lib/help/view.ts';
import type { Member } from '../../src/lib/members/view.ts';
import type { PushPayload } from '../../src/lib/notify/api.ts';
import type { Logger } from '../log.ts';
import { latestSlot } from '../mail/schedule.ts';
import type { Delivery, Outcome } from './courier.ts';
import { ensureFolder, pushFolder, writeWhole } from './files.ts';
import type { Clock, Language } from './schedule.ts';
import type { Subscribed, Subscriptions } from './subscriptions.ts';

const WEEK_MS = 7 * 24 * 3600_000;
const CHECK_MS = 15 * 60_000;

export interface WeeklyOptions {
	data: string;
	subscriptions: Pick<Subscriptions, 'all'>;
	courier: { deliver(to: Subscribed, delivery: Delivery): Promise<Outcome> };
	/** The neighbourhood's posts and members, read through the domain modules. */
	boardOf: (neighbourhood: string) => Promise<{ posts: Post[]; members: Member[] } | undefined>;
	nameOf: (neighbourhood: string) => string | undefined;
	clock: Clock;
	log?: Logger;
}

/** Open requests made since `since` in what `member` likes to help with, not their own. */
export function newRequestsFor(member: Member, posts: Post[], since: number): number {
	const likes = new Set(member.helpWith);
	return posts.filter(
		(post) =>
			post.kind === 'request' &&
			post.status === 'open' &&
			!post.hidden &&
			post.author !== member.id &&
			likes.has(post.category) &&
			Date.parse(post.createdAt) >= since
	).length;
}

export function weeklyText(count: number, language: Language): string {
	return count === 1 ? one['push.weekly.one']({}, { locale: language }) : many['push.weekly.many']({ count }, { locale: language });
}

export class WeeklyRequests {
	#o: WeeklyOptions;
	#file: string;
	#timer: unknown;
	#running = false;

	constructor(options: WeeklyOptions) {
		this.#o = options;
		this.#file = join(pushFolder(options.data), 'weekly.json');
	}

	start(): void {
		const tick = () => {
			void this.due().finally(() => {
				if (this.#timer !== undefined) this.#timer = this.#o.clock.setTimer(tick, CHECK_MS);
			});
		};
		this.#timer = this.#o.clock.setTimer(tick, 0);
	}

	stop(): void {
		if (this.#timer !== undefined) this.#o.clock.clearTimer(this.#timer);
		this.#timer = undefined;
	}

	#last(): number {
		try {
			if (!existsSync(this.#file)) return 0;
			const { round } = JSON.parse(readFileSync(this.#file, 'utf8')) as { round?: unknown };
			return typeof round === 'number' ? round : 0;
		} catch {
			return 0;
		}
	}

	/** Sends the round when a Monday 08.00 has passed since the last one; resolves with how many pushes went out. */
	async due(): Promise<number> {
		if (this.#running) return 0;
		const slot = latestSlot(new Date(this.#o.clock.now()), 'weekly').getTime();
		const last = this.#last();
		if (last >= slot) return 0;
		this.#running = true;
		try {
			// A relay that never ran a round starts counting now: its first round is next Monday.
			const sent = last === 0 ? 0 : await this.#round(slot - WEEK_MS);
			ensureFolder(pushFolder(this.#o.data));
			writeWhole(this.#file, { round: slot });
			return sent;
		} finally {
			this.#running = false;
		}
	}

	async #round(since: number): Promise<number> {
		const wanting = this.#o.subscriptions.all().filter((device) => device.choice.weekly);
		const byNeighbourhood = new Map<string, Subscribed[]>();
		for (const device of wanting) byNeighbourhood.set(device.neighbourhood, [...(byNeighbourhood.get(device.neighbourhood) ?? []), device]);
		let sent = 0;
		for (const [neighbourhood, devices] of byNeighbourhood) {
			const board = await this.#o.boardOf(neighbourhood).catch(() => undefined);
			if (!board) continue;
			const members = new Map(board.members.map((m) => [m.id, m]));
			for (const device of devices) {
				const member = members.get(device.member);
				const count = member ? newRequestsFor(member, board.posts, since) : 0;
				if (count === 0) continue;
				const payload: PushPayload = { title: this.#o.nameOf(neighbourhood) || 'Noaber', body: weeklyText(count, device.choice.language), path: '/hulp', tag: 'weekly-requests', count };
				sent += 1;
				void this.#o.courier.deliver(device, { payload, ttl: 24 * 3600, urgency: 'low', topic: 'weekly-requests' });
			}
		}
		this.#o.log?.info({ devices: sent }, 'weekly requests sent');
		return sent;
	}
}
