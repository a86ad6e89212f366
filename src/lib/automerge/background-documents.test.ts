// The page's side of the documents worker: what comes back reaches the page in order, and never in
// the same task as the browser copying it out of the message (the cheap phone's long tasks).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackgroundDocuments, type BackgroundLine } from './background-documents.ts';
import type { FromBackground, ToBackground } from './background-messages.ts';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function opened({ started = true } = {}) {
	let listener: ((message: FromBackground) => void) | undefined;
	const sent: ToBackground[] = [];
	const line: BackgroundLine = {
		postMessage: (message) => void sent.push(message),
		onMessage: (heard) => void (listener = heard),
		onError: () => undefined,
		end: () => undefined
	};
	const handed: string[] = [];
	const documents = new BackgroundDocuments({ root: 'automerge:root', relay: 'ws://relay/sync', key: 'k'.repeat(16) }, () => line, (message) => {
		handed.push(message.type === 'part' ? `part ${String(message.view)}` : message.type);
	});
	if (started) documents.start();
	return { documents, handed, sent, bring: (message: FromBackground) => listener?.(message) };
}

const part = (view: string): FromBackground => ({ type: 'part', module: 'agenda', url: `automerge:${view}`, view });

describe('what the documents worker sends the page', () => {
	beforeEach(() => void vi.stubGlobal('location', { href: 'http://noaber.test/' }));
	afterEach(() => void vi.unstubAllGlobals());

	it('is handed on in a later task than the one that brought it, one message a task, in order', async () => {
		const { handed, sent, bring } = opened();
		expect(sent.map((message) => message.type)).toEqual(['start']);
		bring(part('2026'));
		bring(part('series'));
		bring({ type: 'held', module: 'agenda', url: 'automerge:2019' });
		expect(handed).toEqual([]);
		await nextTask();
		expect(handed).toEqual(['part 2026']);
		await nextTask();
		expect(handed).toEqual(['part 2026', 'part series']);
		await nextTask();
		expect(handed).toEqual(['part 2026', 'part series', 'held']);
		bring(part('2025'));
		await nextTask();
		expect(handed).toEqual(['part 2026', 'part series', 'held', 'part 2025']);
	});

	it('answers an action after what came before the answer, and fails those waiting once the worker fails', async () => {
		const { documents, handed, sent, bring } = opened();
		const signedUp = documents.act('agenda', 'automerge:2026', 'signUp', ['event-1']);
		const waiting = documents.act('agenda', 'automerge:2026', 'cancelSignup', ['event-1']);
		const ids = sent.filter((message) => message.type === 'act').map((message) => (message as { id: number }).id);
		expect(ids).toHaveLength(2);
		let answered = false;
		void signedUp?.then(() => (answered = true));
		bring(part('2026'));
		bring({ type: 'acted', id: ids[0]!, result: 'signup-1' });
		await nextTask();
		expect([handed, answered]).toEqual([['part 2026'], false]);
		await expect(signedUp).resolves.toBe('signup-1');
		bring({ type: 'failed' });
		await expect(waiting).rejects.toThrow('The background stopped');
		expect(handed).toEqual(['part 2026', 'failed']);
		expect(documents.act('agenda', 'automerge:2026', 'signUp', ['event-1'])).toBeUndefined();
	});

	it('tells the worker every relay the page reaches, also those it heard of before the worker started', () => {
		const { documents, sent } = opened({ started: false });
		documents.relays(['wss://relay/sync', 'wss://tweede/sync']);
		expect(sent).toEqual([]);
		documents.start();
		expect(sent.map((message) => message.type)).toEqual(['start', 'relays']);
		expect(sent[1]).toEqual({ type: 'relays', relays: ['wss://relay/sync', 'wss://tweede/sync'] });
		documents.relays(['wss://relay/sync']);
		expect(sent.at(-1)).toEqual({ type: 'relays', relays: ['wss://relay/sync'] });
	});
});
