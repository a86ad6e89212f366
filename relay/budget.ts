// Fair sharing of the relay inside a neighbourhood. Limits per connection alone let one member with
// many connections drown everyone else (50 connections just under the old per-connection limit made
// the relay send ~4,100 presence messages a second to every honest peer). Here every neighbourhood
// has its own budgets, and each "who" inside it an assured, equal share of them:
// - presence (ephemeral messages) over budget is dropped: losing some is harmless, and answering with
//   a disconnect only made clients reconnect and try again;
// - everything else (sync, request, …) over budget waits in a per-connection queue and is released,
//   in order, as the budget allows. Only a queue that grows absurdly closes its connection.
// Pure bookkeeping: the clock and the timer are passed in, so it can be tested without waiting.

export interface BudgetLimits {
	/** Sync, request and other paced messages one member may send per second, and the burst it may save up. */
	messagesPerSecond: number;
	burst: number;
	/** Paced messages a whole neighbourhood may send per second (and burst), shared equally by its members. */
	neighbourhoodMessagesPerSecond: number;
	neighbourhoodBurst: number;
	/** Presence (ephemeral) messages one member may send per second, and the burst. */
	presencePerSecond: number;
	presenceBurst: number;
	/**
	 * Presence deliveries the relay makes per second for a whole neighbourhood (one message to ten
	 * peers is ten), and the burst; shared equally by its members.
	 */
	fanOutPerSecond: number;
	fanOutBurst: number;
	/** A connection whose queue of paced messages grows past either is closed (4429). */
	maxQueuedMessages: number;
	maxQueuedBytes: number;
}

export const DEFAULT_BUDGET_LIMITS: BudgetLimits = {
	messagesPerSecond: 200,
	burst: 2000,
	neighbourhoodMessagesPerSecond: 1000,
	neighbourhoodBurst: 10_000,
	presencePerSecond: 20,
	presenceBurst: 100,
	fanOutPerSecond: 2000,
	fanOutBurst: 4000,
	maxQueuedMessages: 10_000,
	// Larger than the largest frame the relay accepts (32 MB by default), so that one big first sync
	// arriving behind a few queued messages still fits.
	maxQueuedBytes: 64 * 1024 * 1024
};

/** A token bucket refilled lazily from the clock. */
export class Bucket {
	tokens: number;
	#at: number;

	constructor(tokens: number, now: number) {
		this.tokens = tokens;
		this.#at = now;
	}

	refill(now: number, perSecond: number, capacity: number): number {
		// A clock that steps back (or a test clock) must never take tokens away.
		const elapsed = Math.max(0, now - this.#at);
		this.#at = Math.max(this.#at, now);
		this.tokens = Math.min(capacity, this.tokens + (elapsed / 1000) * perSecond);
		return this.tokens;
	}

	/** Milliseconds until the bucket holds `cost` tokens (after a refill at the same `now`). */
	waitMs(cost: number, perSecond: number): number {
		return this.tokens >= cost ? 0 : ((cost - this.tokens) / perSecond) * 1000;
	}
}

/**
 * One budget shared by the members of a neighbourhood. Each member has an assured share (the rate
 * and burst divided by the number of members present), so however many members, or connections,
 * spend the common pool, one who spends little always gets through. Unused capacity is borrowed
 * from the pool, so a member alone in a quiet neighbourhood is not held to a small share.
 */
export class FairShare {
	readonly #perSecond: number;
	readonly #burst: number;
	readonly #pool: Bucket;
	/** How many members share it: the neighbourhood's own count, never one kept apart to drift. */
	readonly #members: () => number;

	constructor(perSecond: number, burst: number, now: number, members: () => number) {
		this.#perSecond = perSecond;
		this.#burst = burst;
		this.#pool = new Bucket(burst, now);
		this.#members = members;
	}

	/**
	 * A full assured share, which the member keeps (kept here in a table by member, each would cost
	 * an entry more per connection). A share made later, at first use, is the same as one made when
	 * the member arrived: unused, it would have been full.
	 */
	fullShare(now: number): Bucket {
		return new Bucket(this.#burst, now);
	}

	#refill(assured: Bucket, cost: number, now: number): void {
		this.#pool.refill(now, this.#perSecond, this.#burst);
		const share = Math.max(1, this.#members());
		// At least one message's cost, or a member of a crowded neighbourhood could never send one.
		assured.refill(now, this.#perSecond / share, Math.max(cost, this.#burst / share));
	}

	take(assured: Bucket, cost: number, now: number): boolean {
		this.#refill(assured, cost, now);
		if (assured.tokens >= cost) {
			assured.tokens -= cost;
			// The pool pays as well, so borrowers back off while members use their shares. Its debt
			// stays bounded: the shares together refill exactly as fast as the pool does.
			this.#pool.tokens -= cost;
			return true;
		}
		if (this.#pool.tokens >= cost) {
			this.#pool.tokens -= cost;
			return true;
		}
		return false;
	}

	waitMs(assured: Bucket, cost: number, now: number): number {
		this.#refill(assured, cost, now);
		const share = Math.max(1, this.#members());
		return Math.min(assured.waitMs(cost, this.#perSecond / share), this.#pool.waitMs(cost, this.#perSecond));
	}
}

export type Kind = 'presence' | 'paced';
/** deliver: hand it on now; dropped: presence over budget; queued: released later; overflow: close. */
export type Verdict = 'deliver' | 'dropped' | 'queued' | 'overflow';

export interface BudgetEvent {
	neighbourhood: string;
	who: string;
	/** dropping: this connection's presence is over budget; pacing: its messages wait in a queue. */
	kind: 'dropping' | 'pacing';
}

export interface BudgetOptions {
	now?: () => number;
	/** Runs `run` after `ms` milliseconds (0: as soon as other work had its turn). */
	schedule?: (run: () => void, ms: number) => void;
	/** Told once per connection when it starts being dropped or paced, for the log. */
	report?: (event: BudgetEvent) => void;
}

/** At most this many queued messages are released in one turn, so the relay keeps answering others. */
const RELEASE_BATCH = 64;
/**
 * At most this many paced messages of one connection are handed on in one turn of the event loop,
 * however many tokens it saved up: the rest wait for the next turn. A device asking for 3,000
 * documents at once sent them in a few TCP reads, and handing on 2,000 in one go (its burst) kept
 * the relay from answering anyone for over a second.
 */
const TURN_BATCH = 64;
/** Timers for pacing fire no more often than this: a few tokens at a time is plenty. */
const MIN_WAIT_MS = 4;

function defaultSchedule(run: () => void, ms: number): void {
	if (ms <= 0) setImmediate(run);
	else setTimeout(run, ms);
}

/**
 * Whoever a neighbourhood's connections stand for. It is its own bucket of messages (one object
 * fewer per member than a bucket of its own: every idle connection has a member).
 */
class Member extends Bucket {
	connections = 0;
	/** Its assured share of the neighbourhood's messages. */
	readonly messageShare: Bucket;
	/** Made at its first presence message, full: most connections never send any. */
	presence?: Bucket;
	fanOutShare?: Bucket;

	constructor(burst: number, messageShare: Bucket, now: number) {
		super(burst, now);
		this.messageShare = messageShare;
	}
}

class Neighbourhood {
	readonly members = new Map<string, Member>();
	/** Its open connections (lanes), counted: nothing needs them one by one. */
	connections = 0;
	/** Lanes with queued messages, in the order they are served (round robin). */
	readonly waiting: Lane[] = [];
	readonly messages: FairShare;
	readonly fanOut: FairShare;
	scheduled = false;

	constructor(limits: BudgetLimits, now: number) {
		const members = () => this.members.size;
		this.messages = new FairShare(limits.neighbourhoodMessagesPerSecond, limits.neighbourhoodBurst, now, members);
		this.fanOut = new FairShare(limits.fanOutPerSecond, limits.fanOutBurst, now, members);
	}
}

/** One connection's place in its neighbourhood's budgets, and its queue of paced messages. */
export class Lane {
	readonly neighbourhood: string;
	#who: string;
	readonly #sharing: FairSharing;
	/**
	 * Shared by every lane of a relay, and told whose message it hands on (`owner`): a function
	 * made per connection would be kept, with its scope, for as long as the connection stays.
	 */
	readonly #release: (bytes: Uint8Array, owner: unknown) => void;
	/** Whose messages these are (the relay's socket); the lane only hands it back. */
	readonly owner: unknown;
	/** Paced messages waiting, oldest first; made when the first has to wait (most never do). */
	queue: Uint8Array[] | undefined;
	queuedBytes = 0;
	/** Paced messages handed on straight away in this turn of the event loop. */
	passedThisTurn = 0;
	/** Presence messages dropped over budget, and paced messages that had to wait. */
	dropped = 0;
	paced = 0;
	closed = false;

	constructor(sharing: FairSharing, neighbourhood: string, who: string, release: (bytes: Uint8Array, owner: unknown) => void, owner: unknown) {
		this.#sharing = sharing;
		this.neighbourhood = neighbourhood;
		this.#who = who;
		this.#release = release;
		this.owner = owner;
	}

	get who(): string {
		return this.#who;
	}

	/** How many paced messages wait. */
	get queued(): number {
		return this.queue?.length ?? 0;
	}

	/** The connection now speaks for someone else (it joined with its peer id). */
	identify(who: string): void {
		if (who === this.#who || this.closed) return;
		const before = this.#who;
		this.#who = who;
		this.#sharing.rename(this, before);
	}

	/** Decides what happens to an incoming message; a queued one is later passed to `release`. */
	offer(kind: Kind, bytes: Uint8Array): Verdict {
		return this.#sharing.offer(this, kind, bytes);
	}

	/** Called by the neighbourhood's pacer: hands on the oldest queued message. */
	releaseNext(): void {
		const bytes = this.queue?.shift();
		if (!bytes) return;
		this.queuedBytes -= bytes.byteLength;
		this.#release(bytes, this.owner);
	}

	/** The connection is gone: its queue is dropped and its member may leave the neighbourhood. */
	close(): void {
		if (this.closed) return;
		this.#sharing.leave(this);
		this.closed = true;
		this.queue = undefined;
		this.queuedBytes = 0;
	}
}

/** The budgets of every neighbourhood on the relay. */
export class FairSharing {
	readonly limits: BudgetLimits;
	readonly #now: () => number;
	readonly #schedule: (run: () => void, ms: number) => void;
	readonly #report: (event: BudgetEvent) => void;
	readonly #neighbourhoods = new Map<string, Neighbourhood>();
	/** Lanes that passed messages in this turn; their counts start again in the next. */
	readonly #passing = new Set<Lane>();

	constructor(limits: BudgetLimits, options: BudgetOptions = {}) {
		this.limits = limits;
		this.#now = options.now ?? (() => performance.now());
		this.#schedule = options.schedule ?? defaultSchedule;
		this.#report = options.report ?? (() => undefined);
	}

	/**
	 * A connection arrives. `who` is the unit of fairness: whoever it stands for gets one equal share
	 * of the neighbourhood's budgets, however many connections it opens.
	 */
	open(neighbourhood: string, who: string, release: (bytes: Uint8Array, owner: unknown) => void, owner?: unknown): Lane {
		const lane = new Lane(this, neighbourhood, who, release, owner);
		this.enter(lane);
		return lane;
	}

	/** Members present in a neighbourhood, and its open connections (for tests and metrics). */
	census(neighbourhood: string): { members: number; connections: number; queued: number } {
		const state = this.#neighbourhoods.get(neighbourhood);
		if (!state) return { members: 0, connections: 0, queued: 0 };
		// Only lanes with queued messages wait; each waits once.
		let queued = 0;
		for (const lane of state.waiting) queued += lane.queued;
		return { members: state.members.size, connections: state.connections, queued };
	}

	/** A lane arrives in its neighbourhood: one made by `open`, or by the caller (a subclass of its own). */
	enter(lane: Lane): void {
		const now = this.#now();
		let state = this.#neighbourhoods.get(lane.neighbourhood);
		if (!state) {
			state = new Neighbourhood(this.limits, now);
			this.#neighbourhoods.set(lane.neighbourhood, state);
		}
		state.connections += 1;
		this.#arrive(state, lane.who, now);
	}

	/** @internal used by Lane: the lane keeps its place (and its queue), its member changes. */
	rename(lane: Lane, before: string): void {
		const state = this.#neighbourhoods.get(lane.neighbourhood);
		if (!state || lane.closed) return;
		this.#depart(state, before);
		this.#arrive(state, lane.who, this.#now());
	}

	/** @internal used by Lane */
	leave(lane: Lane): void {
		const state = this.#neighbourhoods.get(lane.neighbourhood);
		if (!state || lane.closed) return;
		state.connections -= 1;
		this.#depart(state, lane.who);
		// Nothing to remember about a neighbourhood nobody is connected to: its buckets would be full.
		if (state.connections === 0) this.#neighbourhoods.delete(lane.neighbourhood);
	}

	#arrive(state: Neighbourhood, who: string, now: number): void {
		let member = state.members.get(who);
		if (!member) {
			member = new Member(this.limits.burst, state.messages.fullShare(now), now);
			state.members.set(who, member);
		}
		member.connections += 1;
	}

	#depart(state: Neighbourhood, who: string): void {
		const member = state.members.get(who);
		if (member && --member.connections <= 0) {
			state.members.delete(who);
		}
	}

	/** @internal used by Lane */
	offer(lane: Lane, kind: Kind, bytes: Uint8Array): Verdict {
		const state = this.#neighbourhoods.get(lane.neighbourhood);
		const member = state?.members.get(lane.who);
		if (lane.closed || !state || !member) return 'dropped';
		const now = this.#now();
		if (kind === 'presence') {
			if (this.#mayShare(state, member, lane.who, now)) return 'deliver';
			if (lane.dropped++ === 0) this.#report({ neighbourhood: lane.neighbourhood, who: lane.who, kind: 'dropping' });
			return 'dropped';
		}
		// Order matters for sync: once anything waits, everything after it waits too.
		if (lane.queued === 0 && lane.passedThisTurn < TURN_BATCH && this.#mayPass(state, member, lane.who, now)) {
			this.#passed(lane);
			return 'deliver';
		}
		if (lane.queued >= this.limits.maxQueuedMessages || lane.queuedBytes + bytes.byteLength > this.limits.maxQueuedBytes) {
			return 'overflow';
		}
		(lane.queue ??= []).push(bytes);
		lane.queuedBytes += bytes.byteLength;
		if (lane.paced++ === 0) this.#report({ neighbourhood: lane.neighbourhood, who: lane.who, kind: 'pacing' });
		if (lane.queued === 1) state.waiting.push(lane);
		this.#wake(state, 0);
		return 'queued';
	}

	#passed(lane: Lane): void {
		lane.passedThisTurn += 1;
		if (this.#passing.size === 0) {
			this.#schedule(() => {
				for (const passing of this.#passing) passing.passedThisTurn = 0;
				this.#passing.clear();
			}, 0);
		}
		this.#passing.add(lane);
	}

	/** Presence costs one delivery per other connection of the neighbourhood it will be sent to. */
	#mayShare(state: Neighbourhood, member: Member, who: string, now: number): boolean {
		// Counted from the neighbourhood's connections rather than the document's peers: an
		// overestimate, which only makes the budget stricter.
		const deliveries = Math.max(1, state.connections - 1);
		// Made at the first presence message, full: most connections never send any.
		member.presence ??= new Bucket(this.limits.presenceBurst, now);
		if (member.presence.refill(now, this.limits.presencePerSecond, this.limits.presenceBurst) < 1) return false;
		member.fanOutShare ??= state.fanOut.fullShare(now);
		if (!state.fanOut.take(member.fanOutShare, deliveries, now)) return false;
		member.presence.tokens -= 1;
		return true;
	}

	#mayPass(state: Neighbourhood, member: Member, who: string, now: number): boolean {
		if (member.refill(now, this.limits.messagesPerSecond, this.limits.burst) < 1) return false;
		if (!state.messages.take(member.messageShare, 1, now)) return false;
		member.tokens -= 1;
		return true;
	}

	#wake(state: Neighbourhood, ms: number): void {
		if (state.scheduled) return;
		state.scheduled = true;
		this.#schedule(() => {
			state.scheduled = false;
			this.#drain(state);
		}, ms);
	}

	/** Releases queued messages round robin over the waiting connections, as far as budgets allow. */
	#drain(state: Neighbourhood): void {
		const now = this.#now();
		let released = 0;
		let progress = true;
		while (progress && released < RELEASE_BATCH) {
			progress = false;
			for (let i = 0; i < state.waiting.length && released < RELEASE_BATCH; ) {
				const lane = state.waiting[i];
				const member = state.members.get(lane.who);
				if (lane.closed || lane.queued === 0 || !member) {
					state.waiting.splice(i, 1);
					continue;
				}
				if (this.#mayPass(state, member, lane.who, now)) {
					// Moved to the back first: releasing may close this very connection.
					state.waiting.splice(i, 1);
					lane.releaseNext();
					if (!lane.closed && lane.queued > 0) state.waiting.push(lane);
					released += 1;
					progress = true;
				} else i += 1;
			}
		}
		if (state.waiting.length === 0) return;
		if (released >= RELEASE_BATCH) return this.#wake(state, 0);
		let wait = Infinity;
		for (const lane of state.waiting) {
			const member = state.members.get(lane.who);
			if (!member) continue;
			member.refill(now, this.limits.messagesPerSecond, this.limits.burst);
			wait = Math.min(wait, Math.max(member.waitMs(1, this.limits.messagesPerSecond), state.messages.waitMs(member.messageShare, 1, now)));
		}
		this.#wake(state, Math.max(MIN_WAIT_MS, Number.isFinite(wait) ? Math.ceil(wait) : MIN_WAIT_MS));
	}
}
