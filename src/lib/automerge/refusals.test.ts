// A device, a stand-in relay and another member's device, as three automerge-repo Repos in one
// process. The stand-in relay refuses what the real one will (here: hiding a post), the way the
// protocol says: it drops the change from the sync message, with whatever in that message builds
// on it, and tells the device with a refusal notice. The device must not get stuck.
import 'fake-indexeddb/auto';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle, type Message, type NetworkAdapterInterface, type PeerId } from '@automerge/automerge-repo/slim';
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel';
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErasureCatchUp } from '../erase/catch-up.ts';
import { encodeRefusal, ERASED_RULE, REFUSED } from '../rules/refusal.ts';
import { Refusals } from './refusals.svelte.ts';

interface Post {
	title: string;
	status: A.ImmutableString;
	hidden?: boolean;
}
interface Board {
	posts: Record<string, Post>;
	notes?: A.ImmutableString;
}

const stops: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
	await Promise.allSettled(stops.splice(0).map((stop) => stop()));
});

async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** Changes that touch a key named `hidden`: the stand-in's one rule. */
const hides = (change: Uint8Array) => A.decodeChange(change).ops.some((op) => op.key === 'hidden');

/** Automerge 3.5 sends a peer that has nothing the whole document as one chunk: split it into changes. */
function asChanges(chunk: Uint8Array): Uint8Array[] {
	try {
		A.decodeChange(chunk);
		return [chunk];
	} catch {
		return A.getAllChanges(A.load(chunk));
	}
}

/** Wraps the relay's side of a connection so refused changes never reach its repo. */
function referee(adapter: NetworkAdapterInterface, relay: () => Repo, refusedLog: string[]) {
	const emit = adapter.emit.bind(adapter) as (event: string, ...args: unknown[]) => boolean;
	(adapter as unknown as { emit: typeof emit }).emit = (event, ...args) => {
		const message = args[0] as Message;
		if (event !== 'message' || (message.type !== 'sync' && message.type !== 'request') || !message.data || !message.documentId) return emit(event, ...args);
		const sync = A.decodeSyncMessage(message.data);
		// The notice names what the rule refused; what only builds on it is dropped without a word:
		// the device makes those again on top of what the relay has.
		const refused = new Set<string>();
		const dropped = new Set<string>();
		const kept = sync.changes.flatMap(asChanges).filter((change) => {
			const { hash, deps } = A.decodeChange(change);
			if (hides(change)) refused.add(hash);
			else if (deps.some((dep) => refused.has(dep) || dropped.has(dep))) dropped.add(hash);
			else return true;
			return false;
		});
		if (refused.size === 0 && dropped.size === 0) return emit(event, ...args);
		refusedLog.push(...refused);
		if (refused.size > 0)
			relay().networkSubsystem.send({
				type: 'ephemeral',
				targetId: message.senderId,
				documentId: message.documentId,
				data: encodeRefusal({ noaber: REFUSED, changes: [...refused], rule: 'help.post-author', path: ['posts', 'p1', 'hidden'] })
			});
		return emit(event, { ...message, data: A.encodeSyncMessage({ ...sync, changes: kept }) });
	};
}

function channel(name: string) {
	const adapter = new BroadcastChannelNetworkAdapter({ channelName: name, peerWaitMs: 50 });
	stops.push(() => adapter.disconnect());
	return adapter;
}

function repo(options: ConstructorParameters<typeof Repo>[0]) {
	const made = new Repo(options);
	stops.push(() => made.shutdown().catch(() => made.networkSubsystem.disconnect()));
	return made;
}

describe('a device whose change the relay refuses', () => {
	it('takes the change out, keeps its later edits, and stays in step with the neighbours', async () => {
		const run = Math.random().toString(36).slice(2);
		const toRelay = channel(`device-${run}`);
		const relaySide = channel(`device-${run}`);
		const refusedOnWire: string[] = [];
		const storageName = `device-${run}`;
		const storage = new IndexedDBStorageAdapter(storageName);
		const device = repo({ peerId: 'device' as PeerId, storage, network: [toRelay] });
		// With storage, as the real relay: the device then knows which of its changes the relay holds.
		const relay: Repo = repo({ peerId: 'relay' as PeerId, storage: new IndexedDBStorageAdapter(`relay-${run}`), network: [relaySide, channel(`other-${run}`)] });
		referee(relaySide, () => relay, refusedOnWire);
		const other = repo({ peerId: 'other' as PeerId, network: [channel(`other-${run}`)] });
		const refusals = new Refusals({ repo: device, storage, root: 'automerge:root', isRelay: (peer) => peer === relay.peerId });
		stops.push(() => refusals.stop());

		await eventually(() => relay.peers.length === 2 && device.peers.length === 1 && other.peers.length === 1, 'all are connected');
		// Over 1 KB stored, so automerge-repo keeps later edits as separate chunks instead of
		// rewriting one snapshot each time: the refused change then sits in a chunk of its own.
		const notes = new A.ImmutableString(Array.from(crypto.getRandomValues(new Uint8Array(2048)), (b) => b.toString(16)).join(''));
		const mine = device.create<Board>({ posts: { p1: { title: 'Boodschappen', status: new A.ImmutableString('open') } }, notes });
		const atRelay = await relay.find<Board>(mine.url);
		const seenByRelay: boolean[] = [];
		atRelay.on('change', ({ doc }) => seenByRelay.push(doc.posts.p1?.hidden !== undefined));
		// The relay passes the document on to the other member (asking for it at the same moment can
		// be answered "unavailable" by a relay that is still receiving it).
		await eventually(() => other.handles[mine.documentId]?.isReady() === true, 'the other member has the board');
		const theirs: DocHandle<Board> = await other.find<Board>(mine.url as AutomergeUrl);
		const seenByOther: boolean[] = [];
		theirs.on('change', ({ doc }) => seenByOther.push(doc.posts.p1?.hidden !== undefined));

		// Offline, say, the device hides a post it may not hide, then goes on with allowed edits.
		const madeAt = 1_764_590_400; // 1 December 2025, 12:00 UTC, in seconds as Automerge keeps it
		mine.change((d) => (d.posts.p1.hidden = true), { time: madeAt });
		const refusedHash = A.getHeads(mine.doc())[0];
		mine.change((d) => A.updateText(d.posts.p1, ['title'], 'Boodschappen doen'));
		mine.change((d) => (d.posts.p2 = { title: 'Oppas gezocht', status: new A.ImmutableString('open') }));

		await eventually(() => theirs.doc().posts.p2?.title === 'Oppas gezocht', 'the later edits reach the other member');
		expect(theirs.doc().posts.p1.title).toBe('Boodschappen doen');
		expect(refusedOnWire).toContain(refusedHash);
		await eventually(() => refusals.items.length === 1, 'the device lists what was not passed on');
		expect(refusals.items[0]).toMatchObject({ rule: 'help.post-author', path: ['posts', 'p1', 'hidden'], count: 1, id: refusedHash });
		expect(refusals.items[0].at).toBe(new Date(madeAt * 1000).toISOString());
		expect(mine.doc().posts.p1.hidden).toBeUndefined();
		expect(A.hasHeads(mine.doc(), [refusedHash])).toBe(false);

		// Not stuck: an edit made after the refusal arrives too, and both sides agree.
		mine.change((d) => A.updateText(d.posts.p2, ['title'], 'Oppas gezocht, woensdag'));
		await eventually(() => theirs.doc().posts.p2.title === 'Oppas gezocht, woensdag', 'a later edit reaches the other member');
		await eventually(() => A.getHeads(theirs.doc()).sort().join() === A.getHeads(mine.doc()).sort().join(), 'device and neighbour agree');
		expect(seenByRelay.some(Boolean)).toBe(false);
		expect(seenByOther.some(Boolean)).toBe(false);
		expect(A.hasHeads(atRelay.doc(), [refusedHash])).toBe(false);

		// A notice naming a change the relay already has is not believed.
		const onRelay = A.getHeads(atRelay.doc())[0];
		let notices = 0;
		mine.on('ephemeral-message', () => (notices += 1));
		relay.networkSubsystem.send({
			type: 'ephemeral',
			targetId: device.peerId,
			documentId: mine.documentId,
			data: encodeRefusal({ noaber: REFUSED, changes: [onRelay], rule: 'help.post-author' })
		});
		await eventually(() => notices === 1, 'the second notice arrives');
		await refusals.settled();
		expect(A.hasHeads(mine.doc(), [onRelay])).toBe(true);
		expect(mine.doc().posts.p2.title).toBe('Oppas gezocht, woensdag');
		expect(refusals.items).toHaveLength(1);

		// The refused change does not come back from this device's storage either.
		await refusals.settled();
		await device.flush();
		const reopened = repo({ peerId: 'device-again' as PeerId, storage: new IndexedDBStorageAdapter(storageName), network: [] });
		const fromDisk = await reopened.find<Board>(mine.url);
		expect(fromDisk.doc().posts.p1.hidden).toBeUndefined();
		expect(fromDisk.doc().posts.p2.title).toBe('Oppas gezocht, woensdag');
		expect(A.hasHeads(fromDisk.doc(), [refusedHash])).toBe(false);

		// Read and dismissed: the list is empty.
		refusals.dismiss(refusals.items[0].id);
		expect(refusals.items).toEqual([]);
	});

	/** This device and one other peer on one line, each holding this device's post. */
	async function withPeer(name: 'relay' | 'stranger', title: string) {
		const run = Math.random().toString(36).slice(2);
		const storage = new IndexedDBStorageAdapter(`device-${run}`);
		const device = repo({ peerId: 'device' as PeerId, storage, network: [channel(`n-${run}`)] });
		const other = repo({ peerId: name as PeerId, network: [channel(`n-${run}`)] });
		const refusals = new Refusals({ repo: device, storage, root: 'automerge:root', isRelay: (peer) => peer === ('relay' as PeerId) });
		stops.push(() => refusals.stop());
		await eventually(() => device.peers.length === 1 && other.peers.length === 1, 'both are connected');
		const mine = device.create<Board>({ posts: {} });
		mine.change((d) => (d.posts.p1 = { title, status: new A.ImmutableString('open') }));
		const hash = A.getHeads(mine.doc())[0];
		const theirs = await other.find<Board>(mine.url);
		await eventually(() => theirs.doc().posts.p1 !== undefined, `the ${name} has the post`);
		return { storage, device, refusals, mine, hash, theirs };
	}

	it('ignores a refusal notice that did not come from the relay itself', async () => {
		const { refusals, mine, hash, theirs } = await withPeer('stranger', 'Eigen bericht');
		let heard = false;
		mine.on('ephemeral-message', () => (heard = true));

		theirs.broadcast({ noaber: REFUSED, changes: [hash], rule: 'help.post-author' });

		await eventually(() => heard, 'the notice arrives');
		await refusals.settled();
		expect(mine.doc().posts.p1.title).toBe('Eigen bericht');
		expect(refusals.items).toEqual([]);
	});

	it('leaves a copy from before an erasure to be replaced: nothing is taken out or listed, and the catch-up is asked', async () => {
		const { storage, device, refusals, mine, hash, theirs } = await withPeer('relay', 'Henk zoekt hulp');
		// Without a credential a check asks the relay nothing: only whether it is asked counts here.
		const catchUp = new ErasureCatchUp({ repo: device, storage, relay: 'http://relay.invalid', credential: '', isRelay: (peer) => peer === ('relay' as PeerId) });
		const check = vi.spyOn(catchUp, 'check');

		theirs.broadcast({ noaber: REFUSED, changes: [hash], rule: ERASED_RULE });

		await eventually(() => check.mock.calls.length === 1, 'the erasure catch-up is asked');
		await refusals.settled();
		expect(A.getHeads(mine.doc())).toEqual([hash]);
		expect(refusals.items).toEqual([]);
	});

	it('asks the erasure catch-up nothing for such a notice from another peer', async () => {
		const { storage, device, mine, hash, theirs } = await withPeer('stranger', 'Henk zoekt hulp');
		const catchUp = new ErasureCatchUp({ repo: device, storage, relay: 'http://relay.invalid', credential: '', isRelay: (peer) => peer === ('relay' as PeerId) });
		const check = vi.spyOn(catchUp, 'check');
		let heard = false;
		mine.on('ephemeral-message', () => (heard = true));

		theirs.broadcast({ noaber: REFUSED, changes: [hash], rule: ERASED_RULE });

		await eventually(() => heard, 'the notice arrives');
		expect(check).not.toHaveBeenCalled();
	});
});
