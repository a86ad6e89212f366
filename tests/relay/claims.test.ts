// Who a document id belongs to: the neighbourhood whose root lists it, or, until a root does, the
// neighbourhood whose member brought it with content. Stock automerge-repo clients against a real
// relay, plus raw frames where an attacker would not use the stock client.
import * as A from '@automerge/automerge/slim';
import { Repo, cbor, generateAutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyListing, replyAsEmptyPeer } from '../../relay/claims.ts';
import { Registry } from '../../relay/registry.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { addHelpPeriod } from '../../src/lib/neighbourhood/mutations.ts';
import { client, eventually, find, hostNeighbourhood, rawSocket, door, startTestRelay, tempDir, type TestRelay, stopAfterEach } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);

type Quarter = { period: string; posts: Record<string, string> };

/** A help quarter made on a device that has not shared it yet. */
function unsharedQuarter(text: string): { url: string; documentId: string; bytes: Uint8Array } {
	const handle = new Repo().create<Quarter>({ period: '2026Q4', posts: { first: text } });
	return { url: handle.url, documentId: handle.documentId, bytes: A.save(handle.doc()) };
}

/** The sync message a client sends once the other side said it has nothing: it carries changes. */
function contentMessage(content: Record<string, unknown>): Uint8Array {
	const doc = A.from(content);
	const [asked, first] = A.generateSyncMessage(doc, A.initSyncState());
	const [, told] = A.receiveSyncMessage(doc, asked, replyAsEmptyPeer(first!)!);
	return A.generateSyncMessage(doc, told)[1]!;
}

/** A raw connection that has joined: what a hand-written attacker would use. */
async function rawPeer(relay: TestRelay, key: string, peerId: string) {
	const raw = rawSocket(door(relay, key));
	const received: Array<Record<string, unknown>> = [];
	raw.socket.on('message', (data: Buffer) => received.push(cbor.decode(new Uint8Array(data)) as Record<string, unknown>));
	await raw.opened;
	raw.socket.send(cbor.encode({ type: 'join', senderId: peerId, peerMetadata: {}, supportedProtocolVersions: ['1'] }));
	await eventually(() => received.length, (n) => n > 0);
	const send = (type: string, documentId: string, data: Uint8Array) =>
		raw.socket.send(cbor.encode({ type, senderId: peerId, targetId: relay.adapter.peerId, documentId, data }));
	const answerTo = (documentId: string) => eventually(() => received.find((m) => m.documentId === documentId), (m) => m !== undefined);
	return { raw, received, send, answerTo };
}

async function rootOf(repo: Repo, url: string): Promise<DocHandle<RootDoc>> {
	return eventually(() => find<RootDoc>(repo, url), (h) => h.isReady());
}

describe('a document id belongs to the neighbourhood whose documents list it', () => {
	it('a member of another neighbourhood who learnt a listed id before the document arrived cannot take it', async () => {
		relay = await startTestRelay();
		const lindenbuurt = await hostNeighbourhood(relay, 'Lindenbuurt');
		const beukenbuurt = await hostNeighbourhood(relay, 'Beukenbuurt');
		const anna = client(relay, lindenbuurt.key);
		const bert = client(relay, lindenbuurt.key);
		const mallory = client(relay, beukenbuurt.key);
		repos.push(anna, bert, mallory);

		// Anna's root lists the new quarter before the quarter itself reaches the relay.
		const quarter = unsharedQuarter('Wie helpt met boodschappen?');
		addHelpPeriod(await rootOf(anna, lindenbuurt.root), '2026Q4', quarter.url);
		await eventually(() => relay!.registry.ownerOf(quarter.documentId), (owner) => owner === lindenbuurt.id);

		// Mallory, of the Beukenbuurt, sends it first: with the stock client, and by hand with content.
		const forged = mallory.import<Quarter>(A.save(A.from({ period: '2026Q4', posts: { first: 'Overgenomen' } })), {
			docId: quarter.documentId as never
		});
		forged.change((d) => void (d.posts.second = 'Van mij'));
		const hand = await rawPeer(relay, beukenbuurt.key, 'mallory-by-hand');
		hand.send('sync', quarter.documentId, contentMessage({ period: '2026Q4', posts: { first: 'Overgenomen' } }));
		expect((await hand.answerTo(quarter.documentId))?.type).toBe('doc-unavailable');
		hand.raw.socket.close();

		// Anna's device brings the real quarter; Bert, of the same neighbourhood, gets it, untouched.
		anna.import<Quarter>(quarter.bytes, { docId: quarter.documentId as never });
		const seen = await eventually(() => find<Quarter>(bert, quarter.url), (h) => h.isReady());
		expect(seen.doc().posts).toEqual({ first: 'Wie helpt met boodschappen?' });
		expect(relay.registry.ownerOf(quarter.documentId)).toBe(lindenbuurt.id);
		expect(relay.registry.isProvisional(quarter.documentId)).toBe(false);

		// Nobody of the Beukenbuurt can read it either.
		const curious = client(relay, beukenbuurt.key);
		repos.push(curious);
		expect((await find(curious, quarter.url)).isReady()).toBe(false);
	});

	it('another neighbourhood listing a document in its own root does not take it', async () => {
		relay = await startTestRelay();
		const lindenbuurt = await hostNeighbourhood(relay, 'Lindenbuurt');
		const beukenbuurt = await hostNeighbourhood(relay, 'Beukenbuurt');
		const mallory = client(relay, beukenbuurt.key);
		repos.push(mallory);
		const quarter = unsharedQuarter('Boodschappen');
		const anna = client(relay, lindenbuurt.key);
		repos.push(anna);
		addHelpPeriod(await rootOf(anna, lindenbuurt.root), '2026Q4', quarter.url);
		await eventually(() => relay!.registry.ownerOf(quarter.documentId), (owner) => owner === lindenbuurt.id);

		addHelpPeriod(await rootOf(mallory, beukenbuurt.root), '2026Q4', quarter.url);
		await eventually(() => relay!.logs.join(''), (logs) => logs.includes('root lists a document of another neighbourhood'));
		expect(relay.registry.ownerOf(quarter.documentId)).toBe(lindenbuurt.id);
	});

	it('a document one neighbourhood brought but nobody listed yet goes to the neighbourhood that lists it', async () => {
		relay = await startTestRelay();
		const lindenbuurt = await hostNeighbourhood(relay, 'Lindenbuurt');
		const beukenbuurt = await hostNeighbourhood(relay, 'Beukenbuurt');
		const quarter = unsharedQuarter('Boodschappen');
		const hand = await rawPeer(relay, beukenbuurt.key, 'mallory-by-hand');
		hand.send('sync', quarter.documentId, contentMessage({ squatted: true }));
		await eventually(() => relay!.registry.ownerOf(quarter.documentId), (owner) => owner === beukenbuurt.id);
		expect(relay.registry.isProvisional(quarter.documentId)).toBe(true);

		const anna = client(relay, lindenbuurt.key);
		repos.push(anna);
		addHelpPeriod(await rootOf(anna, lindenbuurt.root), '2026Q4', quarter.url);
		await eventually(() => relay!.registry.ownerOf(quarter.documentId), (owner) => owner === lindenbuurt.id);
		expect(relay.registry.isProvisional(quarter.documentId)).toBe(false);

		// From now on the Beukenbuurt's connection is refused it.
		hand.received.length = 0;
		hand.send('sync', quarter.documentId, contentMessage({ squatted: 'again' }));
		expect((await hand.answerTo(quarter.documentId))?.type).toBe('doc-unavailable');
		hand.raw.socket.close();
	});
});

describe('a member creates a document', () => {
	it('created, then listed: accepted at once for the member’s neighbourhood, for good once the root lists it', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		const bert = client(relay, hosted.key);
		repos.push(anna, bert);
		const root = await rootOf(anna, hosted.root);

		const created = anna.create<Quarter>({ period: '2026Q4', posts: { first: 'Wie helpt met de tuin?' } });
		await eventually(() => relay!.registry.ownerOf(created.documentId), (owner) => owner === hosted.id);
		expect(relay.registry.isProvisional(created.documentId)).toBe(true);
		addHelpPeriod(root, '2026Q4', created.url);
		await eventually(() => relay!.registry.isProvisional(created.documentId), (provisional) => !provisional);

		const seen = await eventually(() => find<Quarter>(bert, created.url), (h) => h.isReady());
		expect(seen.doc().posts.first).toBe('Wie helpt met de tuin?');
	});

	it('listed, then created: the listed id waits for its member’s device, which then brings it', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		const bert = client(relay, hosted.key);
		repos.push(anna, bert);
		const quarter = unsharedQuarter('Wie rijdt mee naar de markt?');
		addHelpPeriod(await rootOf(anna, hosted.root), '2026Q4', quarter.url);
		await eventually(() => relay!.registry.ownerOf(quarter.documentId), (owner) => owner === hosted.id);
		expect(relay.registry.isProvisional(quarter.documentId)).toBe(false);

		// Bert's device follows the root and asks at once: not there yet, and it comes once Anna's does.
		const waiting = await find<Quarter>(bert, quarter.url);
		expect(waiting.isReady()).toBe(false);
		anna.import<Quarter>(quarter.bytes, { docId: quarter.documentId as never });
		await eventually(() => waiting.isReady(), (ready) => ready);
		expect(waiting.doc().posts.first).toBe('Wie rijdt mee naar de markt?');
	});

	it('a heads-only sync or a request for an unknown id claims nothing and leaves nothing in memory', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const handlesBefore = Object.keys(relay.repo.handles).length;
		const peer = await rawPeer(relay, hosted.key, 'curious-peer');
		const [, headsOnly] = A.generateSyncMessage(A.from({ posts: {} }), A.initSyncState());
		const synced = generateAutomergeUrl().replace('automerge:', '');
		const requested = generateAutomergeUrl().replace('automerge:', '');
		peer.send('sync', synced, headsOnly!);
		peer.send('request', requested, A.generateSyncMessage(A.init(), A.initSyncState())[1]!);

		// The heads-only sync is answered as by a peer that has nothing: no heads, nothing sent.
		const answer = await peer.answerTo(synced);
		expect(answer?.type).toBe('sync');
		const decoded = A.decodeSyncMessage(answer!.data as Uint8Array);
		expect(decoded.heads).toEqual([]);
		expect(decoded.changes).toEqual([]);
		expect((await peer.answerTo(requested))?.type).toBe('doc-unavailable');
		peer.raw.socket.close();

		expect(relay.registry.ownerOf(synced)).toBeUndefined();
		expect(relay.registry.ownerOf(requested)).toBeUndefined();
		expect(Object.keys(relay.repo.handles).length).toBe(handlesBefore);
	});
});

describe('ownership is kept on disk', () => {
	it('survives a relay restart: listed, provisional and taken-over documents keep their owners', async () => {
		const data = tempDir();
		relay = await startTestRelay({ data });
		const lindenbuurt = await hostNeighbourhood(relay, 'Lindenbuurt');
		const beukenbuurt = await hostNeighbourhood(relay, 'Beukenbuurt');
		const anna = client(relay, lindenbuurt.key);
		repos.push(anna);
		const listed = unsharedQuarter('Boodschappen');
		const squatted = unsharedQuarter('Vervoer');
		addHelpPeriod(await rootOf(anna, lindenbuurt.root), '2026Q4', listed.url);
		const draft = anna.create<Quarter>({ period: '2027Q1', posts: {} });
		const hand = await rawPeer(relay, beukenbuurt.key, 'mallory-by-hand');
		hand.send('sync', squatted.documentId, contentMessage({ squatted: true }));
		await eventually(() => relay!.registry.ownerOf(squatted.documentId), (owner) => owner === beukenbuurt.id);
		hand.raw.socket.close();
		addHelpPeriod(await rootOf(anna, lindenbuurt.root), '2026Q3', squatted.url);
		await eventually(
			() => [listed, squatted, draft].map((d) => relay!.registry.ownerOf(d.documentId)),
			(owners) => owners.every((o) => o === lindenbuurt.id)
		);
		await Promise.allSettled(repos.splice(0).map((r) => r.shutdown?.()));
		await relay.close();

		relay = await startTestRelay({ data });
		const owners = [listed, squatted, draft].map((d) => [relay!.registry.ownerOf(d.documentId), relay!.registry.isProvisional(d.documentId)]);
		expect(owners).toEqual([
			[lindenbuurt.id, false],
			[lindenbuurt.id, false],
			[lindenbuurt.id, true]
		]);

		// After the restart the Beukenbuurt still cannot bring the listed quarter.
		const again = await rawPeer(relay, beukenbuurt.key, 'mallory-again');
		again.send('sync', listed.documentId, contentMessage({ squatted: true }));
		expect((await again.answerTo(listed.documentId))?.type).toBe('doc-unavailable');
		again.raw.socket.close();
		expect(relay.registry.ownerOf(listed.documentId)).toBe(lindenbuurt.id);
	});

	it('decides each newly listed id: claim, confirm, take over a provisional claim, never a final one', () => {
		const data = tempDir();
		const registry = new Registry(data);
		for (const id of ['lindenbuurt', 'beukenbuurt']) {
			writeFileSync(
				join(data, 'neighbourhoods', `${id}.json`),
				JSON.stringify({ id, name: id, root: `automerge:root-${id}`, key: `${id}-member-key`, createdAt: new Date().toISOString() })
			);
		}
		registry.reload();
		const [free, mine, squatted, theirs] = Array.from({ length: 4 }, () => generateAutomergeUrl().replace('automerge:', ''));
		registry.claimProvisionally(mine, 'lindenbuurt');
		registry.claimProvisionally(squatted, 'beukenbuurt');
		registry.claim(theirs, 'beukenbuurt');
		expect([free, mine, squatted, theirs, free].map((id) => applyListing(registry, 'lindenbuurt', id))).toEqual([
			'claimed',
			'confirmed',
			'taken over',
			'listed elsewhere',
			'own'
		]);
		expect([free, mine, squatted, theirs].map((id) => registry.ownerOf(id))).toEqual(['lindenbuurt', 'lindenbuurt', 'lindenbuurt', 'beukenbuurt']);
		expect([free, mine, squatted].some((id) => registry.isProvisional(id))).toBe(false);
	});

	it('reads a final claim in one neighbourhood’s log over a provisional one in another’s, in any file order', () => {
		const data = tempDir();
		const registry = new Registry(data);
		for (const id of ['aaaaaaaa', 'zzzzzzzz']) {
			writeFileSync(
				join(data, 'neighbourhoods', `${id}.json`),
				JSON.stringify({ id, name: id, root: `automerge:${id}`, key: `${id}${id}`, createdAt: new Date().toISOString() })
			);
		}
		const [one, two] = [generateAutomergeUrl(), generateAutomergeUrl()].map((u) => u.replace('automerge:', ''));
		writeFileSync(join(data, 'owners', 'aaaaaaaa.log'), `?${one}\n${two}\n`);
		writeFileSync(join(data, 'owners', 'zzzzzzzz.log'), `${one}\n?${two}\n`);
		registry.reload();
		expect([registry.ownerOf(one), registry.isProvisional(one)]).toEqual(['zzzzzzzz', false]);
		expect([registry.ownerOf(two), registry.isProvisional(two)]).toEqual(['aaaaaaaa', false]);
		expect(registry.claimProvisionally(one, 'aaaaaaaa')).toBe(false);
	});
});
