// Limits before work, against the real relay: hostile changes are refused before the repo applies
// them, the sender's connection is closed with the documented code, nothing reaches the relay's
// copy or another resident, and an honest resident of the same neighbourhood keeps syncing.
import { generateAutomergeUrl, type AutomergeUrl, type DocumentId } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { generateMembers, generateQuarter } from '../../bench/generate-help.ts';
import { generateYear } from '../../bench/generate-agenda.ts';
import { DEFAULT_CHANGE_LIMITS, LIMIT_CLOSE, measureChanges } from '../../relay/change-limits.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { bigValue, compressionBomb, DeepChain, sendChanges as send } from './hostile-changes.ts';
import { client, eventually, find, hostNeighbourhood, nameOf, door, startTestRelay, stopAfterEach, type HostedForTest, type TestRelay } from './harness.ts';


let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

const idOf = (url: string) => url.replace('automerge:', '') as DocumentId;

const sendChanges = (target: TestRelay, key: string, url: string, batches: Uint8Array[][]) => send(door(target, key), url, batches);

interface Neighbourhood {
	hosted: HostedForTest;
	anna: import('@automerge/automerge-repo/slim').DocHandle<RootDoc>;
	bert: import('@automerge/automerge-repo/slim').DocHandle<RootDoc>;
}

async function neighbourhood(target: TestRelay): Promise<Neighbourhood> {
	const hosted = await hostNeighbourhood(target, 'Lindenbuurt');
	const annasRepo = client(target, hosted.key);
	const bertsRepo = client(target, hosted.key);
	repos.push(annasRepo, bertsRepo);
	const anna = await find<RootDoc>(annasRepo, hosted.root);
	const bert = await find<RootDoc>(bertsRepo, hosted.root);
	await eventually(() => nameOf(bert.doc()), (name) => name === 'Lindenbuurt');
	return { hosted, anna, bert };
}

let rounds = 0;
/** Anna renames the neighbourhood; how long until Bert, on another connection, sees it. */
async function roundTrip({ anna, bert }: Neighbourhood): Promise<number> {
	const name = `Lindenbuurt ${++rounds}`;
	const started = performance.now();
	updateDetails(anna, emptyDetails(name));
	await eventually(() => nameOf(bert.doc()), (seen) => seen === name, 5_000);
	return performance.now() - started;
}

/** Round trips measured while `attack` runs, over and over, until it has run `times` times. */
async function duringAttack(n: Neighbourhood, times: number, attack: () => Promise<number | 'open'>): Promise<{ codes: Array<number | 'open'>; slowest: number }> {
	const codes: Array<number | 'open'> = [];
	const attacks = (async () => {
		for (let i = 0; i < times; i++) codes.push(await attack());
	})();
	const trips: number[] = [];
	let done = false;
	void attacks.finally(() => (done = true));
	while (!done || trips.length < 2) trips.push(await roundTrip(n));
	await attacks;
	return { codes, slowest: Math.max(...trips) };
}

const relaysCopy = (target: TestRelay, url: string) => target.repo.handles[idOf(url)]?.doc() as Record<string, unknown> | undefined;

describe('limits before work', () => {
	it('refuses maps nested 10,000 and 3,000 deep, and nesting built up in small changes, while a neighbour keeps syncing', async () => {
		relay = await startTestRelay();
		const n = await neighbourhood(relay);
		const { root } = n.hosted;
		const key = n.hosted.key;
		const tenThousand = new DeepChain('aanval').grow(10_000);
		const threeThousand = new DeepChain('aanval').grow(3_000);

		const deep = await duringAttack(n, 3, () => sendChanges(relay!, key, root, [[tenThousand]]));
		expect(deep.codes).toEqual([LIMIT_CLOSE.changeRefused, LIMIT_CLOSE.changeRefused, LIMIT_CLOSE.changeRefused]);
		expect(deep.slowest).toBeLessThan(1000);
		expect(await sendChanges(relay, key, root, [[threeThousand]])).toBe(LIMIT_CLOSE.changeRefused);

		// Ten levels at a time: two messages are within the limit (24); a third, even from another
		// connection, is not.
		const chain = new DeepChain('stapel');
		expect(await sendChanges(relay, key, root, [[chain.grow(10)], [chain.grow(10)]])).toBe('open');
		expect(await sendChanges(relay, key, root, [[chain.grow(5)]])).toBe(LIMIT_CLOSE.changeRefused);

		expect(await roundTrip(n)).toBeLessThan(1000);
		const depthOf = (value: unknown) => {
			let depth = 0;
			for (let at = value as Record<string, unknown> | undefined; at; at = at.x as Record<string, unknown> | undefined) depth += 1;
			return depth;
		};
		expect(relaysCopy(relay, root)?.aanval).toBeUndefined();
		expect(depthOf(relaysCopy(relay, root)?.stapel)).toBe(20);
		expect((n.bert.doc() as unknown as Record<string, unknown>).aanval).toBeUndefined();
		await eventually(() => depthOf((n.bert.doc() as unknown as Record<string, unknown>).stapel), (depth) => depth === 20);
		const logs = relay.logs.join('');
		expect(logs).toContain('"limit":"maxDepth"');
		expect(logs).toContain('"reason":"too deeply nested"');
		expect(relay.adapter.changeGate?.refused.get('maxDepth')).toBe(5);
		expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
	}, 40_000);

	it('refuses a compression bomb without inflating it', async () => {
		relay = await startTestRelay();
		const n = await neighbourhood(relay);
		const bomb = compressionBomb(64 * 1024 * 1024);
		expect(bomb.length).toBeLessThan(1024 * 1024);
		const during = await duringAttack(n, 3, () => sendChanges(relay!, n.hosted.key, n.hosted.root, [[bomb]]));
		expect(during.codes).toEqual([LIMIT_CLOSE.changeRefused, LIMIT_CLOSE.changeRefused, LIMIT_CLOSE.changeRefused]);
		expect(during.slowest).toBeLessThan(1000);
		expect(relay.logs.join('')).toContain('"limit":"maxChangeBytes"');
	});

	it('refuses a change that would make a document larger than its limit, and keeps the document as it was', async () => {
		relay = await startTestRelay({ limits: { maxDocumentBytes: 256 * 1024 } });
		const n = await neighbourhood(relay);
		expect(await sendChanges(relay, n.hosted.key, n.hosted.root, [[bigValue('aanhangsel', 20_000)]])).toBe('open');
		const during = await duringAttack(n, 2, () => sendChanges(relay!, n.hosted.key, n.hosted.root, [[bigValue('aanval', 300_000)]]));
		expect(during.codes).toEqual([LIMIT_CLOSE.changeRefused, LIMIT_CLOSE.changeRefused]);
		expect(during.slowest).toBeLessThan(1000);
		expect(String(relaysCopy(relay, n.hosted.root)?.aanhangsel)).toHaveLength(20_000);
		expect(relaysCopy(relay, n.hosted.root)?.aanval).toBeUndefined();
		expect((n.bert.doc() as unknown as Record<string, unknown>).aanval).toBeUndefined();
		expect(relay.logs.join('')).toContain('"reason":"document too large"');
	});

	it('refuses a neighbourhood a new document once it has as many as it may keep', async () => {
		const maxNeighbourhoodDocuments = 12;
		relay = await startTestRelay({ limits: { maxNeighbourhoodDocuments } });
		const n = await neighbourhood(relay);
		const has = relay.registry.documentsOf(n.hosted.id).length;
		expect(has).toBeLessThan(maxNeighbourhoodDocuments);
		const fresh = async () => {
			const repo = client(relay!, n.hosted.key);
			repos.push(repo);
			return repo.create({ note: 'boodschappenlijst' });
		};
		const urls: string[] = [];
		for (let i = has; i < maxNeighbourhoodDocuments; i++) urls.push((await fresh()).url);
		await eventually(() => relay!.registry.documentsOf(n.hosted.id).length, (count) => count === maxNeighbourhoodDocuments);

		const one = generateAutomergeUrl();
		expect(await sendChanges(relay, n.hosted.key, one, [[new DeepChain('nog-een').grow(1)]])).toBe(LIMIT_CLOSE.neighbourhoodFull);
		// Heads only, as a phone first sends a document it made: claiming it is refused just the same.
		expect(await sendChanges(relay, n.hosted.key, one, [[]])).toBe(LIMIT_CLOSE.neighbourhoodFull);
		expect(relay.registry.ownerOf(idOf(one))).toBeUndefined();
		expect(relay.registry.documentsOf(n.hosted.id)).toHaveLength(maxNeighbourhoodDocuments);
		expect(relay.logs.join('')).toContain('"reason":"too many documents"');
		expect(await roundTrip(n)).toBeLessThan(1000);
	});

	it('lets the first sync of a big, realistic neighbourhood through with the default limits', async () => {
		relay = await startTestRelay();
		const n = await neighbourhood(relay);
		const scale = { posts: 200, responses: 500, members: 40, periods: 2 };
		const members = generateMembers(5, scale).map((m) => m.id);
		const documents = [generateQuarter(5, scale, 0).bytes, generateQuarter(5, scale, 1).bytes, generateYear(5, '2026', 50, members).bytes];
		// The relay places objects it cannot see at half the depth limit: sound only while our own
		// documents stay shallower than that.
		for (const bytes of documents) {
			const measured = measureChanges([bytes], DEFAULT_CHANGE_LIMITS, () => undefined);
			if (typeof measured === 'string') throw new Error(`a generated document breaks ${measured}`);
			expect(Math.max(...measured.made.values())).toBeLessThan(DEFAULT_CHANGE_LIMITS.maxDepth / 2);
		}
		const phone = client(relay, n.hosted.key);
		const other = client(relay, n.hosted.key);
		repos.push(phone, other);
		const imported = documents.map((bytes) => phone.import<unknown>(bytes));
		// Another device learns of a new document through the root once it is on the relay; a
		// request for an id nobody has brought yet is answered "unavailable".
		await eventually(
			() => relay!.registry.documentsOf(n.hosted.id),
			(owned) => imported.every((h) => owned.includes(idOf(h.url))),
			15_000
		);
		for (const handle of imported) {
			const copy = await eventually(() => find<unknown>(other, handle.url as AutomergeUrl), (h) => h.isReady(), 15_000);
			await eventually(() => copy.heads().join(), (heads) => heads === handle.heads().join(), 15_000);
		}
		expect(relay.logs.join('')).not.toContain('change refused');
		expect(relay.registry.documentsOf(n.hosted.id)).toEqual(expect.arrayContaining(imported.map((h) => idOf(h.url))));
	}, 40_000);
});
