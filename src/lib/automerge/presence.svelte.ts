// Who else is looking at or editing something right now, through automerge-repo's ephemeral
// messages: nothing is stored, and a device that goes away is forgotten after a short while.
import { Presence, type DocHandle } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';

const PeerState = v.object({
	member: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
	editing: v.pipe(v.string(), v.maxLength(64))
});
type PeerState = v.InferOutput<typeof PeerState>;

export class EditingPresence {
	readonly #presence: Presence<PeerState>;
	readonly #editing: string;
	readonly #me: string;
	/** Member ids of others editing the same item, once each (one person may use two devices). */
	others = $state<string[]>([]);
	#timer: ReturnType<typeof setInterval>;

	constructor(handle: DocHandle<unknown>, me: string, editing: string) {
		this.#me = me;
		this.#editing = editing;
		this.#presence = new Presence<PeerState>({ handle });
		this.#presence.start({ initialState: { member: me, editing }, heartbeatMs: 5_000, peerTtlMs: 15_000 });
		const refresh = () => this.#refresh();
		for (const event of ['update', 'snapshot', 'heartbeat', 'goodbye', 'pruning'] as const) this.#presence.on(event, refresh);
		// Pruning happens on the presence's own clock; look again now and then as well.
		this.#timer = setInterval(refresh, 5_000);
	}

	#refresh() {
		const states = Object.values(this.#presence.getPeerStates().value) as { value: unknown }[];
		const members = new Set<string>();
		for (const state of states) {
			// Peers are other people's devices: take only what has the expected shape.
			const read = v.safeParse(PeerState, state.value);
			if (read.success && read.output.editing === this.#editing && read.output.member !== this.#me) members.add(read.output.member);
		}
		const next = [...members].sort();
		if (next.join() !== this.others.join()) this.others = next;
	}

	stop(): void {
		clearInterval(this.#timer);
		this.#presence.stop();
	}
}
