// Two relays that host the same neighbourhood each keep its access book, and each may change it
// while the other is down. When they meet, each takes the other's book in with `mergeBooks`, and
// both end up with the same book whatever the order, however often: every field has a rule that
// is commutative, associative and idempotent (tested with fast-check in access-merge.test.ts).
//
//   members, devices, tickets, link codes, history   union by id
//   removed (member or device), withdrawn, used,      once on either side, on both (the earliest
//   the old key closed                                 moment counts): nothing removed comes back
//   roles and actsFor, approval, a device's box key   the later change wins (rolesAt, approvalAt,
//                                                      boxKeyAt); a tie is settled by the values
//   an erased name or label                           the erasure wins
import { ERASED_NAME } from '../src/lib/members/erase.ts';
import type { Book } from './access-book.ts';

type Member = Book['members'][string];
type Device = Book['devices'][string];
type Ticket = Book['tickets'][string];
type Code = Book['codes'][string];
type Entry = Book['history'][number];

/** As many history lines as the access book keeps (access-book.ts). */
const HISTORY_KEPT = 500;
const STATUS_RANK = { waiting: 0, active: 1, removed: 2 } as const;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const key = (value: unknown) => JSON.stringify(value);

/** The earlier of two moments that may be missing; a moment beats none. */
function earliest(a: string | undefined, b: string | undefined): string | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return compare(a, b) <= 0 ? a : b;
}

/** The value whose (time, value) pair is larger: the later change, or on a tie the larger value. */
function later<T>(a: { at: string | undefined; value: T }, b: { at: string | undefined; value: T }): { at: string | undefined; value: T } {
	const byTime = compare(a.at ?? '', b.at ?? '');
	if (byTime !== 0) return byTime > 0 ? a : b;
	return compare(key(a.value), key(b.value)) >= 0 ? a : b;
}

/** Drops keys whose value is undefined, so that equal books are equal as JSON too. */
function defined<T extends object>(record: T): T {
	return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function unionBy<T>(a: Record<string, T>, b: Record<string, T>, merge: (x: T, y: T) => T): Record<string, T> {
	const out: Record<string, T> = {};
	for (const id of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
		const x = Object.hasOwn(a, id) ? a[id] : undefined;
		const y = Object.hasOwn(b, id) ? b[id] : undefined;
		// A record on one side only is merged with itself: the same shape as one merged from two.
		out[id] = x !== undefined && y !== undefined ? merge(x, y) : merge((x ?? y)!, (x ?? y)!);
	}
	return out;
}

/** The removal that came first, with who did it. */
function firstRemoval(a: { at?: string; by?: string }, b: { at?: string; by?: string }): { at?: string; by?: string } {
	if (a.at === undefined) return b;
	if (b.at === undefined) return a;
	return compare(a.at, b.at) < 0 || (a.at === b.at && compare(a.by ?? '', b.by ?? '') <= 0) ? a : b;
}

function mergeMember(a: Member, b: Member): Member {
	const status = STATUS_RANK[a.status] >= STATUS_RANK[b.status] ? a.status : b.status;
	const unit = later({ at: a.rolesAt, value: { roles: a.roles, actsFor: a.actsFor } }, { at: b.rolesAt, value: { roles: b.roles, actsFor: b.actsFor } });
	const removal = firstRemoval({ at: a.removedAt, by: a.removedBy }, { at: b.removedAt, by: b.removedBy });
	const asked = [a.rotateKeys, b.rotateKeys].filter((r) => r !== undefined);
	const rotateKeys = asked.sort((x, y) => compare(key([x.askedAt ?? '', x.askedDevice ?? '']), key([y.askedAt ?? '', y.askedDevice ?? ''])))[asked.length - 1];
	const removed = status === 'removed';
	return defined({
		name: a.name === ERASED_NAME || b.name === ERASED_NAME ? ERASED_NAME : compare(a.name, b.name) <= 0 ? a.name : b.name,
		status,
		// Someone removed has no roles, whichever change to their roles came last.
		roles: removed ? [] : unit.value.roles,
		actsFor: removed ? [] : unit.value.actsFor,
		rolesAt: unit.at,
		joinedAt: earliest(a.joinedAt, b.joinedAt)!,
		approvedBy: a.approvedBy === undefined ? b.approvedBy : b.approvedBy === undefined ? a.approvedBy : compare(a.approvedBy, b.approvedBy) <= 0 ? a.approvedBy : b.approvedBy,
		removedAt: removal.at,
		removedBy: removal.at === undefined ? undefined : removal.by,
		rotateKeys
	});
}

function mergeDevice(a: Device, b: Device): Device {
	const box = later({ at: a.boxKeyAt, value: a.boxKey ?? '' }, { at: b.boxKeyAt, value: b.boxKey ?? '' });
	const removal = firstRemoval({ at: a.removedAt, by: a.removedBy }, { at: b.removedAt, by: b.removedBy });
	// A ring is sealed to one box key: only a ring kept with the winning key can be opened. The key's
	// time must match too: a side holding the same key under an older time lost to the newer one, and
	// keeping its ring would make the result depend on the order in which relays merge.
	const rings = [a, b].filter((d) => (d.boxKey ?? '') === box.value && d.boxKeyAt === box.at && d.ring).map((d) => d.ring!);
	const ring = rings.sort((x, y) => x.n - y.n || compare(x.ring, y.ring))[rings.length - 1];
	const same = compare(key([a.memberId, a.hash]), key([b.memberId, b.hash])) <= 0 ? a : b;
	return defined({
		memberId: same.memberId,
		hash: same.hash,
		label: a.label === '' || b.label === '' ? '' : compare(a.label, b.label) <= 0 ? a.label : b.label,
		createdAt: earliest(a.createdAt, b.createdAt)!,
		removedAt: removal.at,
		removedBy: removal.at === undefined ? undefined : removal.by,
		boxKey: box.value === '' ? undefined : box.value,
		boxKeyAt: box.at,
		// A removed device's ring is gone for good (access-book.ts removeDevice).
		ring: removal.at === undefined ? ring : undefined
	});
}

function mergeTicket(a: Ticket, b: Ticket): Ticket {
	const { withdrawnAt: _w, usedAt: _u, ...fixedA } = a;
	const { withdrawnAt: _w2, usedAt: _u2, ...fixedB } = b;
	const erased = a.personal === ERASED_NAME || b.personal === ERASED_NAME;
	const fixed = compare(key({ ...fixedA, personal: undefined }), key({ ...fixedB, personal: undefined })) <= 0 ? fixedA : fixedB;
	const personal = erased ? ERASED_NAME : a.personal === undefined ? b.personal : b.personal === undefined ? a.personal : compare(a.personal, b.personal) <= 0 ? a.personal : b.personal;
	return defined({ ...fixed, personal, withdrawnAt: earliest(a.withdrawnAt, b.withdrawnAt), usedAt: earliest(a.usedAt, b.usedAt) });
}

function mergeCode(a: Code, b: Code): Code {
	const usedAt = earliest(a.usedAt, b.usedAt);
	const fixed = compare(key([a.hash, a.memberId, a.expiresAt]), key([b.hash, b.memberId, b.expiresAt])) <= 0 ? a : b;
	const rings = [a.ring, b.ring].filter((r) => r !== undefined).sort(compare);
	// The ring leaves the relay when the code is used (access-book.ts link).
	return defined({ hash: fixed.hash, memberId: fixed.memberId, expiresAt: fixed.expiresAt, usedAt, ring: usedAt === undefined ? rings[0] : undefined });
}

function mergeHistory(a: Entry[], b: Entry[]): Entry[] {
	const byKey = new Map<string, Entry>();
	for (const entry of [...a, ...b]) byKey.set(key([entry.at, entry.action, entry.by, entry.member, entry.device, entry.roles]), defined(entry));
	const sorted = [...byKey].sort(([ka, ea], [kb, eb]) => compare(ea.at, eb.at) || compare(ka, kb)).map(([, entry]) => entry);
	return sorted.slice(-HISTORY_KEPT);
}

/** One book holding everything of both; the same whichever is `a`. */
export function mergeBooks(a: Book, b: Book): Book {
	const approval = later({ at: a.approvalAt, value: a.approval }, { at: b.approvalAt, value: b.approval });
	return defined({
		approval: approval.value,
		approvalAt: approval.at,
		oldKeyClosedAt: earliest(a.oldKeyClosedAt, b.oldKeyClosedAt),
		members: unionBy(a.members, b.members, mergeMember),
		devices: unionBy(a.devices, b.devices, mergeDevice),
		tickets: unionBy(a.tickets, b.tickets, mergeTicket),
		codes: unionBy(a.codes, b.codes, mergeCode),
		history: mergeHistory(a.history, b.history)
	});
}
