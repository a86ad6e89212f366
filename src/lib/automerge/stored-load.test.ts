// The build's loader for stored documents opens what automerge-repo's own opens, the same.
import { next as A } from '@automerge/automerge';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAIN_LOAD, STOCK_LOAD, withPlainLoad } from './stored-load.ts';

const stock = (binary: Uint8Array) => A.loadIncremental(A.init<Record<string, unknown>>(), binary);
const plain = new Function('A', 'binary', `return ${PLAIN_LOAD}`) as (a: typeof A, binary: Uint8Array) => A.Doc<Record<string, unknown>>;
const concat = (...parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
	return out;
};
const same = (binary: Uint8Array) => {
	const ours = plain(A, binary);
	const theirs = stock(binary);
	expect(A.getHeads(ours)).toEqual(A.getHeads(theirs));
	expect(JSON.parse(JSON.stringify(ours))).toEqual(JSON.parse(JSON.stringify(theirs)));
	return ours;
};

describe('opening a stored document in the built app', () => {
	it('replaces the one stock call in the installed automerge-repo', () => {
		const file = resolve('node_modules/@automerge/automerge-repo/dist/storage/StorageSubsystem.js');
		const patched = withPlainLoad(readFileSync(file, 'utf8'));
		expect(patched).toContain(`const newDoc = ${PLAIN_LOAD};`);
	});

	it('stops the build when that call changed', () => {
		expect(() => withPlainLoad('const doc = A.load(binary);')).toThrow(/no longer calls/);
		expect(() => withPlainLoad(`${STOCK_LOAD}; ${STOCK_LOAD}`)).toThrow(/no longer calls/);
	});

	it('reads a snapshot with later changes stored after it, as automerge-repo stores them', () => {
		let doc = A.from<Record<string, unknown>>({ title: new A.ImmutableString('Koffieochtend'), seats: 12 });
		const snapshot = A.save(doc);
		const heads = A.getHeads(doc);
		doc = A.change(doc, (d) => void (d.seats = 10));
		doc = A.change(doc, (d) => void (d.place = new A.ImmutableString('Buurthuis')));
		const stored = concat(snapshot, A.saveSince(doc, heads));
		const read = same(stored);
		// The plain way, not the stock one after a refusal.
		expect(() => plain({ ...A, loadIncremental: () => { throw new Error('the stock way') } } as typeof A, stored)).not.toThrow();
		expect(read).toEqual({ title: new A.ImmutableString('Koffieochtend'), seats: 10, place: new A.ImmutableString('Buurthuis') });
	});

	it('opens what the stock way opens when changes lack what they build on, or a chunk is cut short', () => {
		let doc = A.from<Record<string, unknown>>({ seats: 12 });
		const heads = A.getHeads(doc);
		doc = A.change(doc, (d) => void (d.seats = 10));
		const later = A.saveSince(doc, heads);
		same(later);
		const whole = A.save(doc);
		same(concat(whole, later.slice(0, later.length - 3)));
	});
});
