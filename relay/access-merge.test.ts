import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeBooks } from './access-merge.ts';
import type { Book } from './access-book.ts';

const ids = (prefix: string) => fc.constantFrom(...[1, 2, 3, 4].map((n) => `${prefix}-000000${n}`));
const moment = fc.integer({ min: 0, max: 5 }).map((n) => `2026-12-0${n + 1}T10:00:00.000Z`);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const role = fc.constantFrom('manager' as const, 'agenda' as const, 'map' as const, 'intermediary' as const);

const member = fc.record({
	name: fc.constantFrom('Anna', 'Bert', 'oud-lid'),
	status: fc.constantFrom('waiting' as const, 'active' as const, 'removed' as const),
	roles: fc.uniqueArray(role, { maxLength: 2 }),
	actsFor: fc.uniqueArray(ids('m'), { maxLength: 2 }),
	joinedAt: moment,
	approvedBy: opt(ids('m')),
	removedAt: opt(moment),
	removedBy: opt(ids('m')),
	rotateKeys: opt(fc.record({ askedDevice: opt(ids('d')), askedAt: opt(moment) })),
	rolesAt: opt(moment)
});
const device = fc.record({
	memberId: ids('m'),
	hash: fc.constantFrom('h1', 'h2'),
	label: fc.constantFrom('', 'Telefoon', 'Tablet'),
	createdAt: moment,
	removedAt: opt(moment),
	removedBy: opt(ids('m')),
	boxKey: opt(fc.constantFrom('k1', 'k2')),
	boxKeyAt: opt(moment),
	ring: opt(fc.record({ ring: fc.constantFrom('r1', 'r2'), n: fc.integer({ min: 1, max: 3 }) }))
});
const ticket = fc.record({
	hash: fc.constantFrom('t1', 't2'),
	personal: opt(fc.constantFrom('Carla', 'oud-lid')),
	createdAt: moment,
	expiresAt: opt(moment),
	withdrawnAt: opt(moment),
	usedAt: opt(moment)
});
const code = fc.record({ hash: fc.constantFrom('c1', 'c2'), memberId: ids('m'), expiresAt: moment, usedAt: opt(moment), ring: opt(fc.constantFrom('x.y', 'z.w')) });
const entry = fc.record({ at: moment, action: fc.constantFrom('joined', 'roles', 'removed device'), by: opt(ids('m')), member: opt(ids('m')) });

/** A book as a relay could hold it: merged with itself, as every book is once a relay has merged. */
const book: fc.Arbitrary<Book> = fc
	.record({
		approval: fc.constantFrom('open' as const, 'approval' as const),
		approvalAt: opt(moment),
		oldKeyClosedAt: opt(moment),
		members: fc.dictionary(ids('m'), member, { maxKeys: 3 }),
		devices: fc.dictionary(ids('d'), device, { maxKeys: 3 }),
		tickets: fc.dictionary(ids('t'), ticket, { maxKeys: 2 }),
		codes: fc.dictionary(ids('c'), code, { maxKeys: 2 }),
		history: fc.array(entry, { maxLength: 4 })
	})
	.map((b) => mergeBooks(b as Book, b as Book));

describe('merging two relays’ access books', () => {
	it('gives the same book whatever the order, however often (commutative, associative, idempotent)', () => {
		fc.assert(
			fc.property(book, book, book, (a, b, c) => {
				expect(mergeBooks(a, b)).toEqual(mergeBooks(b, a));
				expect(mergeBooks(mergeBooks(a, b), c)).toEqual(mergeBooks(a, mergeBooks(b, c)));
				expect(mergeBooks(a, a)).toEqual(a);
				expect(mergeBooks(mergeBooks(a, b), b)).toEqual(mergeBooks(a, b));
			}),
			{ numRuns: 400 }
		);
	});

	it('never brings back a removed device or member, nor a used or withdrawn invitation', () => {
		fc.assert(
			fc.property(book, book, (a, b) => {
				const merged = mergeBooks(a, b);
				for (const [id, d] of Object.entries(a.devices)) if (d.removedAt) expect(merged.devices[id]!.removedAt).toBeDefined();
				for (const [id, m] of Object.entries(a.members)) if (m.status === 'removed') expect(merged.members[id]).toMatchObject({ status: 'removed', roles: [] });
				for (const [id, t] of Object.entries(a.tickets)) {
					if (t.withdrawnAt) expect(merged.tickets[id]!.withdrawnAt).toBeDefined();
					if (t.usedAt) expect(merged.tickets[id]!.usedAt).toBeDefined();
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('keeps a device’s ring only with the key and time that won, whatever the order', () => {
		const at = '2026-12-01T10:00:00.000Z';
		const base: Book = { approval: 'open', members: {}, devices: {}, tickets: {}, codes: {}, history: [] };
		const phone = { memberId: 'm-0000001', hash: 'h1', label: '', createdAt: at };
		const a: Book = { ...base, devices: { 'd-0000001': { ...phone, boxKey: 'k2', boxKeyAt: at } } };
		const b: Book = { ...base, devices: { 'd-0000001': { ...phone, boxKeyAt: at } } };
		const c: Book = { ...base, devices: { 'd-0000001': { ...phone, boxKey: 'k2', ring: { ring: 'r1', n: 1 } } } };
		expect(mergeBooks(mergeBooks(a, c), b)).toEqual(mergeBooks(a, mergeBooks(c, b)));
		expect(mergeBooks(mergeBooks(a, b), c)).toEqual(mergeBooks(a, mergeBooks(b, c)));
	});

	it('keeps the later change of roles, and an erasure over a name', () => {
		const base: Book = { approval: 'open', members: {}, devices: {}, tickets: {}, codes: {}, history: [] };
		const anna = { name: 'Anna', status: 'active' as const, roles: [], actsFor: [], joinedAt: '2026-12-01T10:00:00.000Z' };
		const onA: Book = { ...base, members: { 'm-0000001': { ...anna, roles: ['manager'], rolesAt: '2026-12-02T10:00:00.000Z' } } };
		const onB: Book = { ...base, members: { 'm-0000001': { ...anna, name: 'oud-lid', roles: ['agenda'], rolesAt: '2026-12-03T10:00:00.000Z' } } };
		expect(mergeBooks(onA, onB).members['m-0000001']).toMatchObject({ name: 'oud-lid', roles: ['agenda'] });
	});
});
