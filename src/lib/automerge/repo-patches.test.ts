// The build's changes to automerge-repo open what the package opens, the same, and tell the same
// listeners the same: tried on the installed package's own code.
import { next as A } from '@automerge/automerge';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changed, PATCHES_WHEN_READ, PLAIN_LOAD, REPO_CHANGES } from './repo-patches.ts';

const dist = resolve('node_modules/@automerge/automerge-repo/dist');
const stock = (binary: Uint8Array) => A.loadIncremental(A.init<Record<string, unknown>>(), binary);
const plain = (a: typeof A, binary: Uint8Array) => new Function('A', 'binary', `return ${PLAIN_LOAD.replacement}`)(a, binary) as A.Doc<Record<string, unknown>>;
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

describe("the build's changes to automerge-repo", () => {
	it('each fits the installed package', () => {
		for (const change of REPO_CHANGES) {
			const file = ['storage/StorageSubsystem.js', 'DocHandle.js'].map((name) => resolve(dist, name)).find((path) => change.file.test(path))!;
			expect(changed(readFileSync(file, 'utf8'), change)).toContain(change.replacement);
		}
	});

	it('stop the build when the code they change is not there exactly once', () => {
		expect(() => changed('const doc = A.load(binary);', PLAIN_LOAD)).toThrow(/automerge-repo changed/);
		expect(() => changed(`${PLAIN_LOAD.stock}; ${PLAIN_LOAD.stock}`, PLAIN_LOAD)).toThrow(/automerge-repo changed/);
	});
});

describe('opening a stored document', () => {
	it('reads a snapshot with later changes stored after it, the plain way', () => {
		let doc = A.from<Record<string, unknown>>({ title: new A.ImmutableString('Koffieochtend'), seats: 12 });
		const snapshot = A.save(doc);
		const heads = A.getHeads(doc);
		doc = A.change(doc, (d) => void (d.seats = 10));
		doc = A.change(doc, (d) => void (d.place = new A.ImmutableString('Buurthuis')));
		const stored = concat(snapshot, A.saveSince(doc, heads));
		const read = same(stored);
		expect(() => plain({ ...A, loadIncremental: () => { throw new Error('the stock way') } } as typeof A, stored)).not.toThrow();
		expect(read).toEqual({ title: new A.ImmutableString('Koffieochtend'), seats: 10, place: new A.ImmutableString('Buurthuis') });
	});

	it('opens what the stock way opens when changes lack what they build on, or a chunk is cut short', () => {
		let doc = A.from<Record<string, unknown>>({ seats: 12 });
		const heads = A.getHeads(doc);
		doc = A.change(doc, (d) => void (d.seats = 10));
		const later = A.saveSince(doc, heads);
		same(later);
		same(concat(A.save(doc), later.slice(0, later.length - 3)));
	});
});

describe('a handle with a document from nothing', () => {
	it('announces the change, with the same patches once a listener reads them', async () => {
		// The changed DocHandle beside the package's own, so that its imports resolve as they do there.
		const file = resolve(dist, `DocHandle.changed-${process.pid}.js`);
		writeFileSync(file, changed(readFileSync(resolve(dist, 'DocHandle.js'), 'utf8'), PATCHES_WHEN_READ));
		try {
			const { DocHandle } = (await import(/* @vite-ignore */ file)) as typeof import('@automerge/automerge-repo/slim');
			const arrived = A.from<Record<string, unknown>>({ title: 'Wandelgroep', seats: 8 });
			const handle = new DocHandle<Record<string, unknown>>('4NMNnkMhL8jXrkKjcqQ3tLJr2Ad9' as never, (() => {
				throw new Error('this test makes no refs');
			}) as never);
			const told: A.Patch[][] = [];
			const whenRead: boolean[] = [];
			handle.on('change', (event) => {
				whenRead.push(Object.getOwnPropertyDescriptor(event, 'patches')?.get !== undefined);
				told.push(event.patches);
			});
			handle.update(() => arrived as never);
			expect(told).toHaveLength(1);
			expect(told[0]).toEqual(A.diff(arrived, [], A.getHeads(arrived)));

			// A later change is announced as the package does, with its patches worked out at once.
			handle.change((d) => void (d.seats = 7));
			expect(told).toHaveLength(2);
			expect(told[1]).toEqual([{ action: 'put', path: ['seats'], value: 7 }]);
			// For the document from nothing they were worked out when read: a listener that never reads them pays nothing.
			expect(whenRead[0]).toBe(true);
		} finally {
			rmSync(file, { force: true });
		}
	});
});
