import * as A from '@automerge/automerge/slim';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bigValue, compressionBomb, DeepChain, syncWith } from '../tests/relay/hostile-changes.ts';
import { ChangeGate, DEFAULT_CHANGE_LIMITS, LIMIT_CLOSE, measureChanges, type ChangeLimits } from './change-limits.ts';
import { createLogger } from './log.ts';
import { StorageUsage } from './usage.ts';

const limits = DEFAULT_CHANGE_LIMITS;
const atRoot = () => undefined;

describe('measuring changes before they are applied', () => {
	it('gives every object the message makes its depth, and refuses nesting past the limit', () => {
		const chain = new DeepChain();
		const measured = measureChanges([chain.grow(limits.maxDepth)], limits, atRoot);
		expect(typeof measured).toBe('object');
		if (typeof measured === 'string') return;
		expect([...measured.made.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: limits.maxDepth }, (_, i) => i + 1));
		expect(measureChanges([new DeepChain().grow(limits.maxDepth + 1)], limits, atRoot)).toBe('maxDepth');
		expect(measureChanges([new DeepChain().grow(1_000)], limits, atRoot)).toBe('maxDepth');
	});

	it('adds the depth of the existing object a change builds under, across the changes of one message', () => {
		const chain = new DeepChain();
		const first = chain.grow(10);
		const second = chain.grow(10);
		expect(measureChanges([first, second], limits, atRoot)).toMatchObject({ operations: 20 });
		expect(measureChanges([first, second, chain.grow(10)], limits, atRoot)).toBe('maxDepth');
		// The third change alone, under objects the relay already holds 20 deep.
		const third = new DeepChain();
		third.grow(20);
		const deeper = third.grow(5);
		expect(measureChanges([deeper], limits, () => 20)).toBe('maxDepth');
		expect(measureChanges([deeper], limits, () => 19)).not.toBe('maxDepth');
	});

	it('refuses a deflate bomb without inflating it, and counts operations per change and per message', () => {
		expect(measureChanges([compressionBomb(32 * 1024 * 1024)], limits, atRoot)).toBe('maxChangeBytes');
		const small: ChangeLimits = { ...limits, maxChangeOperations: 30, maxMessageOperations: 50 };
		const chain = new DeepChain();
		expect(measureChanges([chain.grow(31)], { ...small, maxDepth: 100 }, atRoot)).toBe('maxChangeOperations');
		const wide = new DeepChain();
		const two = [wide.grow(20), wide.grow(20), wide.grow(20)];
		expect(measureChanges(two, { ...small, maxDepth: 100 }, atRoot)).toBe('maxMessageOperations');
		expect(measureChanges([bigValue('note', 20_000)], { ...limits, maxChangeBytes: 10_000 }, atRoot)).toBe('maxChangeBytes');
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
		expect(measureChanges([A.save(doc)], limits, atRoot)).toBe('maxDepth');
		expect(measureChanges([A.save(doc)], { ...limits, maxDepth: 31 }, atRoot)).toMatchObject({ operations: 31 });
	});

	it('calls bytes that are not a change malformed', () => {
		expect(measureChanges([new Uint8Array([0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 200])], limits, atRoot)).toBe('wellFormed');
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
const sync = (changes: Uint8Array[]) => ({ type: 'sync' as const, data: syncWith(changes) });

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
		expect(gate.check(lindenbuurt('doc3'), { type: 'request', data: syncWith([change]) })).toBeUndefined();
		// Heads only claims a new document too, so it is refused; for a document it has, it passes.
		expect(gate.check(lindenbuurt('doc4'), sync([]))?.reason).toBe('too many documents');
		expect(gate.check(lindenbuurt('doc2'), sync([]))).toBeUndefined();
		expect(gate.refused.get('maxNeighbourhoodDocuments')).toBe(2);
	});
});
