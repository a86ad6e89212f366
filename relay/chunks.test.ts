import * as A from '@automerge/automerge/slim';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk } from '../tests/relay/hostile-changes.ts';
import { CHUNK_TYPE, MalformedChunk, OverLimit, readChunk, summariseChunk } from './chunks.ts';

const roomy = { bytes: 1e9, operations: 1e9 };

type Board = {
	items: Record<string, { title: string; n: number; sub: { deep: { t: string } } }>;
	list: number[];
};

function board(changes: number): A.Doc<Board> {
	let doc = A.from<Board>({ items: {}, list: [] });
	for (let i = 0; i < changes; i++) {
		doc = A.change(doc, { message: `stap ${i}` }, (d) => {
			d.items[`k${i}`] = { title: 'x'.repeat(i % 40), n: i, sub: { deep: { t: 'tekst' } } };
			d.list.push(i);
			if (i % 7 === 0) delete d.items[`k${i - 1}`];
			A.splice(d, ['items', `k${i}`, 'sub', 'deep', 't'], 0, 0, 'ab');
		});
	}
	return doc;
}

describe('reading Automerge chunks without Automerge', () => {
	it('counts the operations and names the objects each change makes, as Automerge decodes them', () => {
		for (const change of A.getAllChanges(board(30))) {
			const summary = summariseChunk(change, roomy);
			const decoded = A.decodeChange(change);
			expect(summary.type).toBe(CHUNK_TYPE.change);
			expect(summary.operations).toBe(decoded.ops.length);
			const made = decoded.ops
				.map((op, i) => ({ action: op.action, id: `${decoded.startOp + i}@${decoded.actor}`, parent: op.obj }))
				.filter((op) => op.action.startsWith('make'))
				.map(({ id, parent }) => ({ id, parent }));
			expect(summary.made).toEqual(made);
		}
	});

	it('reads a whole document, deflated columns included: every operation, every object', () => {
		const doc = board(60);
		const saved = A.save(doc);
		const summary = summariseChunk(saved, roomy);
		expect(summary.type).toBe(CHUNK_TYPE.document);
		expect(summary.operations).toBe(A.stats(doc).numOps);
		expect(summary.inflatedBytes).toBeGreaterThan(saved.length);
		const visible = new Set<string>();
		const walk = (value: unknown) => {
			if (typeof value !== 'object' || value === null) return;
			const id = A.getObjectId(value);
			if (id && id !== '_root') visible.add(id);
			for (const inner of Object.values(value)) walk(inner);
		};
		walk(doc);
		const made = new Map(summary.made.map((m) => [m.id, m.parent]));
		for (const id of visible) expect(made.has(id)).toBe(true);
		expect(made.get(A.getObjectId(doc.items)!)).toBe('_root');
		expect(made.get(A.getObjectId(doc.items.k5.sub)!)).toBe(A.getObjectId(doc.items.k5));
	});

	it('reads a compressed change by inflating it, and stops a deflate bomb at the cap', () => {
		const change = A.getAllChanges(board(3))[2];
		const { body } = readChunk(change);
		const compressed = chunk(CHUNK_TYPE.compressed, deflateRawSync(body));
		expect(summariseChunk(compressed, roomy).operations).toBe(A.decodeChange(change).ops.length);

		const bomb = chunk(CHUNK_TYPE.compressed, deflateRawSync(Buffer.alloc(64 * 1024 * 1024)));
		expect(bomb.length).toBeLessThan(100_000);
		expect(() => summariseChunk(bomb, { bytes: 1024 * 1024, operations: 1e6 })).toThrow(OverLimit);
	});

	it('stops counting at the operation cap, however long a run the bytes claim', () => {
		const change = A.getAllChanges(board(30))[29];
		const operations = A.decodeChange(change).ops.length;
		expect(() => summariseChunk(change, { bytes: 1e9, operations: operations - 1 })).toThrow(OverLimit);
		expect(summariseChunk(change, { bytes: 1e9, operations }).operations).toBe(operations);
	});

	it('refuses bytes that are not a chunk', () => {
		expect(() => summariseChunk(new Uint8Array([1, 2, 3]), roomy)).toThrow(MalformedChunk);
		expect(() => summariseChunk(chunk(9, new Uint8Array([1])), roomy)).toThrow(MalformedChunk);
		const change = A.getAllChanges(board(2))[1];
		expect(() => summariseChunk(change.subarray(0, change.length - 3), roomy)).toThrow(MalformedChunk);
		expect(() => summariseChunk(chunk(CHUNK_TYPE.compressed, new Uint8Array([0xff, 0xfe, 0x00])), roomy)).toThrow(MalformedChunk);
	});

	it('answers any bytes, and any damage to real chunks, with a measure or one of its two refusals', () => {
		const doc = board(20);
		const real = [A.save(doc), ...A.getAllChanges(doc).slice(-3)];
		const refusedOrMeasured = (bytes: Uint8Array) => {
			try {
				summariseChunk(bytes, { bytes: 1024 * 1024, operations: 100_000 });
			} catch (error) {
				if (!(error instanceof MalformedChunk || error instanceof OverLimit)) throw error;
			}
		};
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 }), fc.uint8Array({ maxLength: 300 }), (type, body) => refusedOrMeasured(chunk(type, body))),
			{ numRuns: 2000 }
		);
		fc.assert(
			fc.property(fc.constantFrom(...real), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (original, damage) => {
				const bytes = original.slice();
				for (const [at, value] of damage) bytes[9 + (at % (bytes.length - 9))] = value;
				refusedOrMeasured(bytes);
			}),
			{ numRuns: 2000 }
		);
	});
});
