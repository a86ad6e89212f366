// The warm-up runs each of Automerge's paths once, a step per idle moment, and never fails a join.
import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { tinyDocument, warmUp } from './warm-up.ts';

describe('warming Automerge up while the resident reads the invitation', () => {
	it('goes through every path, one step each time the page is idle', async () => {
		let idle = 0;
		const ran = await warmUp([], async () => void (idle += 1));
		// A step that threw (an outdated document, a refused sync message) would end it early, false.
		expect(ran).toBe(true);
		expect(idle).toBe(3);
	});

	it('takes a document large enough that storing it compresses, as storing a root does', () => {
		const doc = tinyDocument();
		const text = String(doc.about);
		expect(text.length).toBeGreaterThan(1000);
		// Stored uncompressed, the text alone would take more than this.
		expect(A.save(doc).length).toBeLessThan(text.length / 4);
		expect(A.load<typeof doc>(A.save(doc)).about?.toString()).toBe(text);
	});

	it("runs the page's own first-time work after Automerge's, each step after an idle moment of its own", async () => {
		const seen: string[] = [];
		const ran = await warmUp([() => void seen.push('klok')], async () => void seen.push('idle'));
		expect(ran).toBe(true);
		expect(seen).toEqual(['idle', 'idle', 'idle', 'idle', 'klok']);
	});

	it('waits for the next turn where the browser cannot say when it is idle', async () => {
		expect(typeof globalThis.requestIdleCallback).toBe('undefined');
		let turned = false;
		setTimeout(() => (turned = true), 0);
		const warming = warmUp();
		expect(turned).toBe(false);
		expect(await warming).toBe(true);
		expect(turned).toBe(true);
	});

	it('runs no further step once stopped (the resident tapped "Klaar")', async () => {
		const seen: string[] = [];
		const stop = new AbortController();
		const idle = async () => {
			seen.push('idle');
			if (seen.length === 2) stop.abort();
		};
		const ran = await warmUp([() => void seen.push('klok')], idle, stop.signal);
		expect(ran).toBe(false);
		expect(seen).toEqual(['idle', 'idle']);
	});

	it('ends quietly, false, when a step cannot run', async () => {
		const ran = await warmUp([], () => Promise.reject(new Error('page closed')));
		expect(ran).toBe(false);
	});
});
