import * as A from '@automerge/automerge/slim';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bigValue, chunk, compressionBomb, DeepChain, uleb } from '../tests/relay/hostile-changes.ts';
import { ChangeGate, changeLimitsFromEnv, DEFAULT_CHANGE_LIMITS, LIMIT_CLOSE, measureChanges, type ChangeLimits } from './change-limits.ts';
import { configFromEnv } from './config.ts';
import { createLogger } from './log.ts';
import { StorageUsage } from './usage.ts';

const limits = DEFAULT_CHANGE_LIMITS;
const nothingKnown = () => undefined;

describe('measuring changes before they are applied', () => {
	it('gives every object the message makes its depth, and refuses nesting past the limit', () => {
		const chain = new DeepChain();
		const measured = measureChanges([chain.grow(limits.maxDepth)], limits, nothingKnown);
		expect(typeof measured).toBe('object');
		if (typeof measured === 'string') return;
		expect([...measured.made.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: limits.maxDepth }, (_, i) => i + 1));
		expect(measureChanges([new DeepChain().grow(limits.maxDepth + 1)], limits, nothingKnown)).toBe('maxDepth');
		expect(measureChanges([new DeepChain().grow(1_000)], limits, nothingKnown)).toBe('maxDepth');
	});

	it('adds the depth of the existing object a change builds under, across the changes of one message', () => {
		const chain = new DeepChain();
		const first = chain.grow(10);
		const second = chain.grow(10);
		expect(measureChanges([first, second], limits, nothingKnown)).toMatchObject({ operations: 20 });
		expect(measureChanges([first, second, chain.grow(10)], limits, nothingKnown)).toBe('maxDepth');
		// The third change alone, under objects the relay already holds 20 deep.
		const third = new DeepChain();
		third.grow(20);
		const deeper = third.grow(5);
		expect(measureChanges([deeper], limits, () => 20)).toBe('maxDepth');
		expect(measureChanges([deeper], limits, () => 19)).not.toBe('maxDepth');
	});

	it('refuses a deflate bomb without inflating it, and counts operations per change and per message', () => {
		expect(measureChanges([compressionBomb(32 * 1024 * 1024)], limits, nothingKnown)).toBe('maxChangeBytes');
		const small: ChangeLimits = { ...limits, maxChangeOperations: 30, maxMessageOperations: 50 };
		const chain = new DeepChain();
		expect(measureChanges([chain.grow(31)], { ...small, maxDepth: 100 }, nothingKnown)).toBe('maxChangeOperations');
		const wide = new DeepChain();
		const two = [wide.grow(20), wide.grow(20), wide.grow(20)];
		expect(measureChanges(two, { ...small, maxDepth: 100 }, nothingKnown)).toBe('maxMessageOperations');
		expect(measureChanges([bigValue('note', 20_000)], { ...limits, maxChangeBytes: 10_000 }, nothingKnown)).toBe('maxChangeBytes');
	});

	it('measures a whole document chunk, the first sync of a new document, by the same rules', () => {
		let doc = A.from<{ a: Record<string, unknown> }>({ a: {} });
		doc = A.change(doc, (d) => {
			let at: Record<string, unknown> = d.a;
			for (let i = 0; i < 30; i++) {
				at.x = {};
				at = at.x as Record<string, unknown>;
			}
		});
		expect(measureChanges([A.save(doc)], limits, nothingKnown)).toBe('maxDepth');
		expect(measureChanges([A.save(doc)], { ...limits, maxDepth: 31 }, nothingKnown)).toMatchObject({ operations: 31 });
	});

	it('holds a whole document to the message totals, not the per-change ones, deflated columns included', () => {
		let doc = A.from<{ items: Record<string, number> }>({ items: {} });
		doc = A.change(doc, (d) => {
			for (let i = 0; i < 200; i++) d.items[`k${i}`] = i;
		});
		const firstSync = A.save(doc);
		expect(measureChanges([firstSync], { ...limits, maxChangeOperations: 100, maxChangeBytes: 100 }, nothingKnown)).toMatchObject({ operations: 201 });
		expect(measureChanges([firstSync], { ...limits, maxMessageOperations: 200 }, nothingKnown)).toBe('maxMessageOperations');
		// A document whose one operation column claims to inflate to 64 MB.
		const column = deflateRawSync(Buffer.alloc(64 * 1024 * 1024));
		const body = Buffer.concat([Buffer.from([0, 0, 0, 1, 0x42 | 0x08]), Buffer.from(uleb(column.length)), column]);
		const bomb = chunk(0, body);
		expect(measureChanges([bomb], limits, nothingKnown)).toBe('maxMessageBytes');
	});

	it('measures several changes sent back to back in one entry, as Automerge 3 sends them while two people type', () => {
		let doc = A.from<{ text: string }>({ text: 'Koffie en thee.' });
		doc = A.change(doc, (d) => A.splice(d, ['text'], 0, 0, 'Gratis! '));
		const first = A.getLastLocalChange(doc)!;
		doc = A.change(doc, (d) => A.splice(d, ['text'], 23, 0, ' Tot dan!'));
		const second = A.getLastLocalChange(doc)!;
		const entry = new Uint8Array([...first, ...second]);
		// Automerge takes such an entry; the relay must not call it malformed.
		const measured = measureChanges([entry], limits, nothingKnown);
		expect(measured).toMatchObject({ operations: A.decodeChange(first).ops.length + A.decodeChange(second).ops.length });
		expect(measureChanges([new Uint8Array([...entry, 1, 2, 3])], limits, nothingKnown)).toBe('wellFormed');
	});

	it('calls bytes that are not a change malformed', () => {
		expect(measureChanges([new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 200])], limits, nothingKnown)).toBe('wellFormed');
	});
});

function gateFor(options: { limits?: Partial<ChangeLimits>; owners?: Record<string, string>; documentsDir?: string; relaysCopy?: () => A.Doc<unknown> } = {}) {
	const lines: string[] = [];
	const owners = new Map(Object.entries(options.owners ?? {}));
	const documentsOf = (neighbourhood: string) => [...owners].filter(([, n]) => n === neighbourhood).map(([id]) => id);
	const gate = new ChangeGate({
		limits: { ...limits, ...options.limits },
		log: createLogger('info', new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })),
		usage: new StorageUsage(options.documentsDir ?? mkdtempSync(join(tmpdir(), 'noaber-usage-')), documentsOf),
		ownerOf: (id) => owners.get(id),
		documentCount: (neighbourhood) => documentsOf(neighbourhood).length,
		documentOf: () => options.relaysCopy?.()
	});
	return { gate, lines, owners };
}

const lindenbuurt = (document = 'doc1') => ({ neighbourhood: 'linden', peer: 'peer-anna', document });
const sync = (changes: Uint8Array[]) => ({ type: 'sync' as const, changes });

describe('the gate in front of the repo', () => {
	it('remembers deep objects, so nesting built up over many small messages is refused', () => {
		// The relay's copy, with what the gate let through applied, as the repo would.
		let relaysCopy = A.init<unknown>();
		const { gate, lines } = gateFor({ owners: { doc1: 'linden' }, relaysCopy: () => relaysCopy });
		const chain = new DeepChain('geheim-inhoud');
		for (const levels of [10, 10, 4]) {
			const change = chain.grow(levels);
			expect(gate.check(lindenbuurt(), sync([change]))).toBeUndefined();
			[relaysCopy] = A.applyChanges(relaysCopy, [change]);
		}
		expect(gate.check(lindenbuurt(), sync([chain.grow(1)]))).toEqual({ code: LIMIT_CLOSE.changeRefused, reason: 'too deeply nested', limit: 'maxDepth' });
		expect(gate.refused.get('maxDepth')).toBe(1);
		const logged = JSON.parse(lines.at(-1)!);
		expect(logged).toMatchObject({ neighbourhood: 'linden', peer: 'peer-anna', document: 'doc1', limit: 'maxDepth', max: 24, msg: 'change refused' });
		expect(lines.join('')).not.toContain('geheim-inhoud');
	});

	it('counts an object it cannot place as half the limit deep: honest edits pass, deep ones do not', () => {
		const { gate } = gateFor({ owners: { doc1: 'linden' } });
		const before = new DeepChain();
		before.grow(3);
		// An object made before the relay started (or deleted from its copy since).
		expect(gate.check(lindenbuurt(), sync([before.grow(3)]))).toBeUndefined();
		const deep = new DeepChain();
		deep.grow(3);
		expect(gate.check(lindenbuurt(), sync([deep.grow(13)]))?.reason).toBe('too deeply nested');
	});

	it('remembers a bounded number of deep objects per document, and refuses more', () => {
		const { gate } = gateFor({ owners: { doc1: 'linden' } });
		const backend = A.getBackend(A.init()) as unknown as { putObject(obj: string, prop: string, value: object): string; commit(): void; getLastLocalChange(): Uint8Array };
		let tip = '_root';
		for (let i = 0; i < 11; i++) tip = backend.putObject(tip, 'x', {});
		for (let i = 0; i < 10_001; i++) backend.putObject(tip, `k${i}`, {});
		backend.commit();
		expect(gate.check(lindenbuurt(), sync([backend.getLastLocalChange()]))?.reason).toBe('too deeply nested');
	});

	it('keeps each document and neighbourhood within its bytes, reading what is already stored', () => {
		const documentsDir = mkdtempSync(join(tmpdir(), 'noaber-usage-'));
		mkdirSync(join(documentsDir, 'do', 'c1', 'snapshot'), { recursive: true });
		writeFileSync(join(documentsDir, 'do', 'c1', 'snapshot', 'abc'), Buffer.alloc(30_000));
		const { gate } = gateFor({
			documentsDir,
			owners: { doc1: 'linden', doc2: 'linden' },
			limits: { maxDocumentBytes: 40_000, maxNeighbourhoodBytes: 60_000 }
		});
		expect(gate.check(lindenbuurt('doc1'), sync([bigValue('a', 5_000)]))).toBeUndefined();
		expect(gate.check(lindenbuurt('doc1'), sync([bigValue('b', 8_000)]))).toMatchObject({ code: LIMIT_CLOSE.changeRefused, reason: 'document too large' });
		expect(gate.check(lindenbuurt('doc2'), sync([bigValue('c', 20_000)]))).toBeUndefined();
		expect(gate.check(lindenbuurt('doc2'), sync([bigValue('d', 8_000)]))).toMatchObject({ code: LIMIT_CLOSE.neighbourhoodFull, reason: 'neighbourhood storage full' });
	});

	it('refuses a new document once the neighbourhood has its maximum, and leaves other neighbourhoods’ documents to the guard', () => {
		const { gate } = gateFor({ owners: { doc1: 'linden', doc2: 'linden', other: 'beuken' }, limits: { maxNeighbourhoodDocuments: 2 } });
		const change = new DeepChain().grow(1);
		expect(gate.check(lindenbuurt('doc1'), sync([change]))).toBeUndefined();
		expect(gate.check(lindenbuurt('doc3'), sync([change]))).toMatchObject({ code: LIMIT_CLOSE.neighbourhoodFull, reason: 'too many documents' });
		expect(gate.check(lindenbuurt('other'), sync([new DeepChain().grow(100)]))).toBeUndefined();
		expect(gate.check(lindenbuurt('doc3'), { type: 'request', changes: [change] })).toBeUndefined();
		// Heads only claims a new document too, so it is refused; for a document it has, it passes.
		expect(gate.check(lindenbuurt('doc4'), sync([]))?.reason).toBe('too many documents');
		expect(gate.check(lindenbuurt('doc2'), sync([]))).toBeUndefined();
		expect(gate.refused.get('maxNeighbourhoodDocuments')).toBe(2);
	});
});

describe('limits set by the operator', () => {
	it('reads NOABER_MAX_… variables, keeps the other defaults, and explains a wrong value', () => {
		expect(changeLimitsFromEnv({ NOABER_MAX_DOCUMENT_BYTES: '33554432', NOABER_MAX_DEPTH: '30' })).toEqual({ maxDocumentBytes: 33554432, maxDepth: 30 });
		expect(configFromEnv({ NOABER_MAX_NEIGHBOURHOOD_DOCUMENTS: '5000' }).limits).toEqual({ maxNeighbourhoodDocuments: 5000 });
		expect(configFromEnv({}).limits).toEqual({});
		expect(() => changeLimitsFromEnv({ NOABER_MAX_CHANGE_BYTES: '4 MB' })).toThrow('NOABER_MAX_CHANGE_BYTES must be a whole number above 0, not "4 MB"');
		expect(() => changeLimitsFromEnv({ NOABER_MAX_DEPTH: '0' })).toThrow('NOABER_MAX_DEPTH');
	});
});
