// The neighbourhoods this device belongs to, kept in localStorage: which relay, this device's own
// credential (or, on a device from before December 2026, the neighbourhood's old shared key until
// it is swapped for a credential), which member this device acts as, and what the relay last said
// about that member. Pure functions over a Storage so they are testable in Node.
import * as v from 'valibot';
import { RoleSchema } from '../access/roles.ts';
import { parseSecret } from '../access/secret.ts';
import { KeyPairSchema, KeyRingSchema } from '../crypto/keys.ts';

export const Membership = v.pipe(
	v.object({
		root: v.pipe(v.string(), v.regex(/^automerge:/)),
		relay: v.pipe(v.string(), v.regex(/^wss?:\/\//)),
		credential: v.optional(v.pipe(v.string(), v.check((s) => parseSecret(s) !== undefined))),
		/** The old shared member key: only until the relay gave this device its own credential. */
		key: v.optional(v.pipe(v.string(), v.minLength(1))),
		memberId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
		name: v.string(),
		/** As the relay last said: waiting for approval, in, or removed by a manager. */
		status: v.optional(v.picklist(['waiting', 'active', 'removed'])),
		/** As the relay last said; undefined until it said anything (an old device before its upgrade). */
		roles: v.optional(v.array(RoleSchema)),
		/** The helpdesk phone, for someone who cannot see the neighbourhood yet (waiting). */
		phone: v.optional(v.string()),
		/** The member's key ring: what is sealed to them opens with it (src/lib/crypto). Never leaves the device in the clear. */
		ring: v.optional(KeyRingSchema),
		/** This device's own key pair, to which its other devices seal the member's ring after a new key. */
		deviceKey: v.optional(KeyPairSchema),
		/** The profile a waiting member filled in, written into the neighbourhood once let in. */
		pendingProfile: v.optional(v.unknown())
	}),
	v.check((m) => m.credential !== undefined || m.key !== undefined, 'no credential')
);
export type Membership = v.InferOutput<typeof Membership>;

/** The secret this device shows the relay: its own credential, or the old shared key. */
export const doorKey = (m: Pick<Membership, 'credential' | 'key'>): string => m.credential ?? m.key ?? '';
/** The device id inside its credential; peer ids carry it. */
export const deviceIdOf = (m: Pick<Membership, 'credential'>): string | undefined => (m.credential ? parseSecret(m.credential)?.id : undefined);

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
