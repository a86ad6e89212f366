// The neighbourhoods this device belongs to, kept in localStorage: which relay, which key, and
// which member this device acts as. Pure functions over a Storage so they are testable in Node.
import * as v from 'valibot';

export const Membership = v.object({
	root: v.pipe(v.string(), v.regex(/^automerge:/)),
	relay: v.pipe(v.string(), v.regex(/^wss?:\/\//)),
	key: v.pipe(v.string(), v.minLength(1)),
	memberId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
	name: v.string()
});
export type Membership = v.InferOutput<typeof Membership>;

const State = v.object({
	current: v.fallback(v.nullable(v.string()), null),
	list: v.pipe(
		v.fallback(v.array(v.unknown()), []),
		v.transform((items) =>
			items.flatMap((item) => {
				const r = v.safeParse(Membership, item);
				return r.success ? [r.output] : [];
			})
		)
	)
});
export type Memberships = v.InferOutput<typeof State>;

const STORAGE_KEY = 'noaber.memberships';

export function loadMemberships(storage: Pick<Storage, 'getItem'>): Memberships {
	try {
		const raw = storage.getItem(STORAGE_KEY);
		const result = v.safeParse(State, raw ? JSON.parse(raw) : {});
		if (result.success) return result.output;
	} catch {
		// A damaged entry must not lock a resident out: start as a new device.
	}
	return { current: null, list: [] };
}

export function saveMemberships(storage: Pick<Storage, 'setItem'>, state: Memberships): void {
	storage.setItem(STORAGE_KEY, JSON.stringify(state));
}

/** Adds or replaces the membership for that root and makes it current. */
export function upsert(state: Memberships, membership: Membership): Memberships {
	const list = state.list.filter((m) => m.root !== membership.root);
	list.push(membership);
	return { current: membership.root, list };
}

export function remove(state: Memberships, root: string): Memberships {
	const list = state.list.filter((m) => m.root !== root);
	const current = state.current === root ? (list[0]?.root ?? null) : state.current;
	return { current, list };
}

export function currentMembership(state: Memberships): Membership | undefined {
	return state.list.find((m) => m.root === state.current) ?? state.list[0];
}
