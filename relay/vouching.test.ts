import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';
import { Vouching, type VouchAnswer, type VouchRequest } from './vouching.ts';

const HOOD = 'lindenbuurt-01';
const DOC = '4NMNnkMhL8jXrdJ9jVpY6eK7nB2w';
const hash = (n: number) => n.toString(16).padStart(64, '0');
const ANNA_ACTOR = 'aa'.repeat(16);
const BERT_ACTOR = 'bb'.repeat(16);

/** Paired relays as this relay reaches them over HTTP: each answers from what it holds, or is down. */
function world(relays: Record<string, { held: string[]; actors: VouchAnswer['actors'] } | 'down' | 'nonsense'>) {
	const calls: Array<{ url: string; request: VouchRequest }> = [];
	let clock = 1_000_000;
	const lines: string[] = [];
	const log = createLogger('info', new Writable({ write: (chunk, _e, done) => void (lines.push(String(chunk)), done()) }) as never);
	const fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
		const url = String(input).replace('/api/peer/vouch', '');
		const request = JSON.parse(String(init!.body)) as VouchRequest;
		calls.push({ url, request });
		const relay = relays[url];
		if (relay === 'down') throw new TypeError('fetch failed');
		if (relay === 'nonsense') return new Response(JSON.stringify({ held: 'everything' }), { status: 200 });
		const held = request.changes.map((c) => c.hash).filter((h) => relay.held.includes(h));
		return new Response(JSON.stringify({ held, actors: relay.actors }), { status: 200 });
	}) as typeof fetch;
	const vouching = new Vouching({
		peersOf: () => Object.keys(relays).map((url) => ({ url, secret: 'peer.secret' })),
		log,
		fetcher,
		now: () => clock
	});
	return { vouching, calls, lines, pass: (ms: number) => (clock += ms) };
}

describe('asking paired relays whose passed-on changes are', () => {
	it('takes a change one paired relay holds, with that relay’s binding of its actor', async () => {
		const { vouching } = world({
			'https://bieb.example.nl': { held: [hash(1)], actors: { [ANNA_ACTOR]: { member: 'anna-0001', device: 'phone-01' } } },
			'https://wijkhuis.example.nl': 'down'
		});
		expect(vouching.paired(HOOD)).toBe(true);
		expect(vouching.known(HOOD, DOC, hash(1))).toBeUndefined();
		const bindings = await vouching.ask(HOOD, DOC, [
			{ hash: hash(1), actor: ANNA_ACTOR },
			{ hash: hash(2), actor: BERT_ACTOR }
		]);
		expect(bindings.get(ANNA_ACTOR)).toEqual({ member: 'anna-0001', device: 'phone-01' });
		expect(vouching.known(HOOD, DOC, hash(1))).toEqual({ held: true, binding: { member: 'anna-0001', device: 'phone-01' } });
		expect(vouching.known(HOOD, DOC, hash(2))).toEqual({ held: false });
		// Kept per document: the same hash of another document was never asked about.
		expect(vouching.known(HOOD, '5NMNnkMhL8jXrdJ9jVpY6eK7nB2w', hash(1))).toBeUndefined();
	});

	it('leaves a relay that did not answer alone for a while, and says so once', async () => {
		const { vouching, calls, lines, pass } = world({ 'https://bieb.example.nl': 'down' });
		await vouching.ask(HOOD, DOC, [{ hash: hash(1), actor: ANNA_ACTOR }]);
		await vouching.ask(HOOD, DOC, [{ hash: hash(2), actor: ANNA_ACTOR }]);
		expect(calls).toHaveLength(1);
		expect(vouching.known(HOOD, DOC, hash(2))).toEqual({ held: false });
		expect(lines.filter((l) => l.includes('did not answer'))).toHaveLength(1);
		expect(lines.join('')).not.toContain('peer.secret');
		pass(31_000);
		await vouching.ask(HOOD, DOC, [{ hash: hash(3), actor: ANNA_ACTOR }]);
		expect(calls).toHaveLength(2);
	});

	it('believes nothing of an answer that is not one', async () => {
		const { vouching } = world({ 'https://bieb.example.nl': 'nonsense' });
		const bindings = await vouching.ask(HOOD, DOC, [{ hash: hash(1), actor: ANNA_ACTOR }]);
		expect(bindings.size).toBe(0);
		expect(vouching.known(HOOD, DOC, hash(1))).toEqual({ held: false });
	});

	it('forgets an answer after a minute: a relay that held nothing then may hold it now', async () => {
		const { vouching, pass } = world({ 'https://bieb.example.nl': { held: [], actors: {} } });
		await vouching.ask(HOOD, DOC, [{ hash: hash(1), actor: ANNA_ACTOR }]);
		expect(vouching.known(HOOD, DOC, hash(1))).toEqual({ held: false });
		pass(61_000);
		expect(vouching.known(HOOD, DOC, hash(1))).toBeUndefined();
	});

	it('asks nobody for a neighbourhood with one relay', () => {
		const { vouching } = world({});
		expect(vouching.paired(HOOD)).toBe(false);
	});
});
