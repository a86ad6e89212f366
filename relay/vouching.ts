// Changes a device passes on from another relay. With several relays per neighbourhood a device
// connected to two of them brings each the changes it got from the other, made by other members.
// Judged as the delivering device's own, they would be refused (another member's actor) or, worse,
// bound to the wrong member for good (actors.ts), after which the real author is refused here.
// So before this relay judges a change whose actor it does not know as the sender's, it asks its
// paired relays: "do you hold these changes, and whose are these actors?" A change a paired relay
// holds was judged there and is taken as it is, with that relay's binding of its actor; anything
// no paired relay vouches for is judged as the sender's, as on a single relay. Answers are kept a
// while, and a paired relay that does not answer is left alone for a while: a relay that is down
// must not slow every device's first change.
import * as v from 'valibot';
import type { Binding } from './actors.ts';
import type { Logger } from './log.ts';
import type { PeerRelay } from './peers-book.ts';

const CALL_MS = 3000;
const DOWN_MS = 30_000;
const PEERS_MS = 5000;
/** Answers are kept this long: a relay that said "not held" may hold the change a minute later. */
const KEPT_MS = 60_000;
const MAX_KEPT = 50_000;
export const MAX_VOUCH_CHANGES = 1000;

const ActorId = v.pipe(v.string(), v.regex(/^[0-9a-f]{2,64}$/));
const MemberId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));
const Hash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

export const VouchRequest = v.object({
	neighbourhood: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
	document: v.pipe(v.string(), v.regex(/^[1-9A-HJ-NP-Za-km-z]{20,60}$/)),
	changes: v.pipe(v.array(v.object({ hash: Hash, actor: ActorId })), v.maxLength(MAX_VOUCH_CHANGES))
});
export type VouchRequest = v.InferOutput<typeof VouchRequest>;

export const VouchAnswer = v.object({
	held: v.pipe(v.array(Hash), v.maxLength(MAX_VOUCH_CHANGES)),
	actors: v.pipe(
		v.record(ActorId, v.object({ member: MemberId, device: v.optional(MemberId) })),
		v.check((r) => Object.keys(r).length <= MAX_VOUCH_CHANGES, 'too many actors')
	)
});
export type VouchAnswer = v.InferOutput<typeof VouchAnswer>;

/** What the paired relays said of one change: held by one of them (with its actor's binding there), or by none. */
export type Vouch = { held: true; binding?: Binding } | { held: false };

export interface VouchingOptions {
	peersOf: (neighbourhood: string) => PeerRelay[];
	log: Logger;
	fetcher?: typeof fetch;
	now?: () => number;
}

export class Vouching {
	#o: VouchingOptions;
	#peers = new Map<string, { at: number; peers: PeerRelay[] }>();
	#down = new Map<string, number>();
	#answers = new Map<string, { at: number; vouch: Vouch }>();

	constructor(options: VouchingOptions) {
		this.#o = options;
	}

	#now() {
		return (this.#o.now ?? Date.now)();
	}

	/** The paired relays, read from disk at most every few seconds: this is asked for every change. */
	#peersOf(neighbourhood: string): PeerRelay[] {
		const cached = this.#peers.get(neighbourhood);
		if (cached && this.#now() - cached.at < PEERS_MS) return cached.peers;
		let peers: PeerRelay[] = [];
		try {
			peers = this.#o.peersOf(neighbourhood);
		} catch {
			// A peers file half-written by the operator command: read again next time.
		}
		this.#peers.set(neighbourhood, { at: this.#now(), peers });
		return peers;
	}

	paired(neighbourhood: string): boolean {
		return this.#peersOf(neighbourhood).length > 0;
	}

	/** What was said of this change of this document lately; undefined when nobody was asked. */
	known(neighbourhood: string, document: string, hash: string): Vouch | undefined {
		const key = `${neighbourhood} ${document} ${hash}`;
		const kept = this.#answers.get(key);
		if (!kept) return undefined;
		if (this.#now() - kept.at > KEPT_MS) {
			this.#answers.delete(key);
			return undefined;
		}
		return kept.vouch;
	}

	#keep(neighbourhood: string, document: string, hash: string, vouch: Vouch) {
		const key = `${neighbourhood} ${document} ${hash}`;
		this.#answers.delete(key);
		this.#answers.set(key, { at: this.#now(), vouch });
		// Oldest first: a Map keeps insertion order.
		while (this.#answers.size > MAX_KEPT) this.#answers.delete(this.#answers.keys().next().value!);
	}

	/**
	 * Asks every paired relay that is up about these changes, at once, and keeps what they said.
	 * Returns the bindings they gave for the actors asked about (the first relay to name one wins).
	 */
	async ask(neighbourhood: string, document: string, changes: ReadonlyArray<{ hash: string; actor: string }>): Promise<Map<string, Binding>> {
		const asked = changes.slice(0, MAX_VOUCH_CHANGES);
		const peers = this.#peersOf(neighbourhood).filter((peer) => (this.#down.get(peer.url) ?? 0) <= this.#now());
		const answers = await Promise.all(peers.map((peer) => this.#call(peer, { neighbourhood, document, changes: asked })));
		const held = new Set<string>();
		const bindings = new Map<string, Binding>();
		for (const answer of answers) {
			if (!answer) continue;
			for (const hash of answer.held) held.add(hash);
			for (const [actor, binding] of Object.entries(answer.actors)) {
				if (!bindings.has(actor)) bindings.set(actor, binding.device ? { member: binding.member, device: binding.device } : { member: binding.member });
			}
		}
		for (const change of asked) {
			this.#keep(neighbourhood, document, change.hash, held.has(change.hash) ? { held: true, binding: bindings.get(change.actor) } : { held: false });
		}
		return bindings;
	}

	async #call(peer: PeerRelay, request: VouchRequest): Promise<VouchAnswer | undefined> {
		try {
			const response = await (this.#o.fetcher ?? fetch)(`${peer.url}/api/peer/vouch`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${peer.secret}` },
				body: JSON.stringify(request),
				signal: AbortSignal.timeout(CALL_MS)
			});
			if (!response.ok) throw new Error(`answered ${response.status}`);
			const parsed = v.safeParse(VouchAnswer, await response.json());
			if (!parsed.success) throw new Error('answered something that is no vouch');
			this.#down.delete(peer.url);
			return parsed.output;
		} catch (error) {
			if (!this.#down.has(peer.url)) {
				// The address and the reason only: never the secret.
				this.#o.log.warn({ neighbourhood: request.neighbourhood, peer: peer.url, reason: (error as Error).message }, 'paired relay did not answer whose changes these are; judged as the device’s own meanwhile');
			}
			this.#down.set(peer.url, this.#now() + DOWN_MS);
			return undefined;
		}
	}
}
