// Idle documents leave the relay's memory and come back from disk, and that never loses or empties
// a document, also while clients keep writing. automerge-repo 2.5.6's removeFromCache alone would
// save an emptied document over the real one.
import { next as A } from '@automerge/automerge';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { NodeFSStorageAdapter } from '@automerge/automerge-repo-storage-nodefs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../relay/guard.ts';
import { startRelay, type Relay } from '../../relay/main.ts';
import { announceAndVanish, listOnRoot, newQuarter, type Quarter } from './announce.ts';
import { client, eventually, fakeApp, find, shutdown, tempDir, hostedOn } from './harness.ts';

interface List {
	items: string[];
}

const started: Relay[] = [];
const repos: Repo[] = [];

afterEach(async () => {
	await shutdown(...repos.splice(0));
	await shutdown(...started.splice(0));
});

async function relayWithIdle(idleUnloadMs: number, data = tempDir(), syncTimeoutMs = 60_000, lines: string[] = []) {
	const relay = await startRelay({
		port: 0,
		host: '127.0.0.1',
		data,
		app: fakeApp(),
		logLevel: 'debug',
		limits: DEFAULT_LIMITS,
		pollMs: 100,
		idleUnloadMs,
		syncTimeoutMs,
		logDestination: new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) })
	});
	started.push(relay);
	return { relay, data };
}

/** The relay's last known heads for this handle are the client's own. */
function relayHas(repo: Repo, handle: DocHandle<unknown>): boolean {
	const relayPeer = repo.peers[0];
	const storageId = relayPeer ? repo.getStorageIdOfPeer(relayPeer) : undefined;
	return storageId !== undefined && handle.getSyncInfo(storageId)?.lastHeads?.join() === handle.heads().join();
}

/** What a fresh process reading the relay's data folder finds. */
async function onDisk(data: string, url: string): Promise<{ heads: string; doc: unknown }> {
	const repo = new Repo({ storage: new NodeFSStorageAdapter(join(data, 'documents')) });
	try {
		const handle = await repo.find<unknown>(url as AutomergeUrl);
		return { heads: handle.heads().join(), doc: handle.doc() };
	} finally {
		await repo.shutdown().catch(() => undefined);
	}
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The garbage collector, asked for by hand: whether something is still held shows only after it ran. */
function collector(): () => void {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

/** Whether nothing holds these any more, after a few rounds of collecting. */
async function collected(refs: Array<WeakRef<object>>): Promise<boolean> {
	const gc = collector();
	for (let round = 0; round < 10; round += 1) {
		// A WeakRef read in this turn keeps its object until the turn ends: collect in the next.
		await pause(20);
		gc();
		if (refs.every((ref) => ref.deref() === undefined)) return true;
	}
	return false;
}

describe('idle documents', () => {
	it('leave memory and come back from disk whole (the upstream unload would save them empty)', async () => {
		const { relay, data } = await relayWithIdle(300);
		const handle = relay.repo.create<List>({ items: ['koffie', 'thee'] });
		handle.change((d) => void d.items.push('soep'));
		const heads = handle.heads().join();

		await eventually(() => relay.idle.state().unloaded, (n) => n === 1);
		expect(relay.repo.handles[handle.documentId]).toBeUndefined();
		// After the compaction that would have written the empty document.
		await pause(300);
		expect(await onDisk(data, handle.url)).toEqual({ heads, doc: { items: ['koffie', 'thee', 'soep'] } });

		const again = await relay.repo.find<List>(handle.url);
		expect(again.heads().join()).toBe(heads);
		expect(again.doc().items).toEqual(['koffie', 'thee', 'soep']);
		expect(relay.faults.total).toBe(0);
	});

	it('never lose or empty a document while clients in several neighbourhoods keep writing', async () => {
		const { relay, data } = await relayWithIdle(300);
		const neighbourhoods = await Promise.all(
			['Lindenbuurt', 'Eikenbuurt', 'Berkenbuurt'].map((name) => hostedOn(relay.repo, relay.registry, relay.access, name, `http://127.0.0.1:${relay.port}`))
		);

		const writers = await Promise.all(
			neighbourhoods.map(async (hosted, n) => {
				const anna = client(relay, hosted.key);
				const bert = client(relay, hosted.key);
				repos.push(anna, bert);
				const lists = [anna.create<List>({ items: [] }), anna.create<List>({ items: [] })];
				await eventually(() => lists.every((l) => relayHas(anna, l)), Boolean);
				const theirs = await Promise.all(lists.map((l) => find<List>(bert, l.url)));
				await eventually(() => theirs.every((l) => l.isReady()), Boolean);
				return { n, hosted, people: [{ name: 'anna', repo: anna, lists }, { name: 'bert', repo: bert, lists: theirs }] };
			})
		);

		const written = new Map<string, string[]>();
		const unloadedBefore = relay.idle.state().unloaded;
		await Promise.all(
			writers.map(async ({ n, people }) => {
				for (let round = 0; round < 10; round += 1) {
					for (const person of people) {
						const list = person.lists[(round + people.indexOf(person)) % person.lists.length];
						const item = `${person.name}-${n}-${round}`;
						list.change((d) => void d.items.push(item));
						written.set(list.url, [...(written.get(list.url) ?? []), item]);
					}
					// Some rounds quickly after another, some once the relay unloaded the documents.
					if (round % 3 === 0) {
						// The writes reached the relay (loading the documents again), then it lets go of them.
						await eventually(() => people.every((p) => p.lists.every((l) => relayHas(p.repo, l))), Boolean);
						const ids = people[0].lists.map((l) => l.documentId);
						await eventually(() => ids.some((id) => id in relay.repo.handles), (loaded) => !loaded);
					} else await pause(40 + n * 30);
				}
			})
		);
		// Documents really left memory and came back while the clients wrote.
		expect(relay.idle.state().unloaded - unloadedBefore).toBeGreaterThanOrEqual(4 * 2 * writers.length);

		// Every client ends with everything everyone wrote, and so does the relay, in memory and on disk.
		for (const { people } of writers) {
			const [anna, bert] = people;
			for (let i = 0; i < anna.lists.length; i += 1) {
				const [a, b] = [anna.lists[i], bert.lists[i]];
				const expected = [...written.get(a.url)!].sort();
				await eventually(() => [a, b].map((h) => [...h.doc().items].sort().join()), (seen) => seen.every((s) => s === expected.join()), 15_000);
				await eventually(() => relayHas(anna.repo, a) && relayHas(bert.repo, b), Boolean);
				expect(a.heads().join()).toBe(b.heads().join());
				const onRelay = await relay.repo.find<List>(a.url);
				expect(onRelay.heads().join()).toBe(a.heads().join());
			}
		}
		await shutdown(...repos.splice(0));
		await relay.close();
		for (const { people } of writers) {
			for (const list of people[0].lists) {
				const stored = await onDisk(data, list.url);
				expect(stored.heads).toBe(list.heads().join());
				expect([...(stored.doc as List).items].sort()).toEqual([...written.get(list.url)!].sort());
			}
		}
		expect(relay.faults.total).toBe(0);
	}, 60_000);

	it('never lose or empty a document of 50 neighbourhoods whose devices sync while the relay unloads and reloads', async () => {
		const { relay, data } = await relayWithIdle(300);
		const names = Array.from({ length: 50 }, (_, i) => `Buurt ${i + 1}`);
		const neighbourhoods = [];
		for (const name of names) neighbourhoods.push(await hostedOn(relay.repo, relay.registry, relay.access, name, `http://127.0.0.1:${relay.port}`));

		// One device per neighbourhood, all at once, each writing to its own list.
		const devices = await Promise.all(
			neighbourhoods.map(async (hosted, n) => {
				const repo = client(relay, hosted.key);
				repos.push(repo);
				const list = repo.create<List>({ items: [] });
				await eventually(() => relayHas(repo, list), Boolean, 30_000);
				return { n, hosted, repo, list, written: [] as string[] };
			})
		);
		const unloadedBefore = relay.idle.state().unloaded;
		await Promise.all(
			devices.map(async (device) => {
				for (let round = 0; round < 6; round += 1) {
					const item = `buurt-${device.n}-${round}`;
					device.list.change((d) => void d.items.push(item));
					device.written.push(item);
					// Every other round, the relay has the write and then lets go of the document; the
					// next write then reaches a document that comes back from disk.
					if (round % 2 === 0) {
						await eventually(() => relayHas(device.repo, device.list), Boolean, 30_000);
						await eventually(() => device.list.documentId in relay.repo.handles, (loaded) => !loaded, 30_000);
					} else await pause((device.n % 5) * 20);
				}
				await eventually(() => relayHas(device.repo, device.list), Boolean, 30_000);
			})
		);
		expect(relay.idle.state().unloaded - unloadedBefore).toBeGreaterThanOrEqual(3 * devices.length);

		// A second device of each neighbourhood gets the list whole, with the writer's heads.
		for (let i = 0; i < devices.length; i += 10) {
			await Promise.all(
				devices.slice(i, i + 10).map(async ({ hosted, list, written }) => {
					const other = client(relay, hosted.key);
					repos.push(other);
					const theirs = await find<List>(other, list.url);
					await eventually(() => theirs.isReady() && theirs.heads().join(), (heads) => heads === list.heads().join(), 15_000);
					expect([...theirs.doc().items]).toEqual(written);
				})
			);
		}
		await shutdown(...repos.splice(0));
		await relay.close();
		for (const { list, written } of devices) {
			const stored = await onDisk(data, list.url);
			expect(stored.heads).toBe(list.heads().join());
			expect((stored.doc as List).items).toEqual(written);
		}
		expect(relay.faults.total).toBe(0);
	}, 120_000);

	it('leave nothing behind once unloaded: automerge-repo 2.5.6 kept every document it loaded from disk', async () => {
		const { relay } = await relayWithIdle(300);
		const hosted = await hostedOn(relay.repo, relay.registry, relay.access, 'Lindenbuurt', `http://127.0.0.1:${relay.port}`);
		const phone = client(relay, hosted.key);
		repos.push(phone);
		const list = phone.create<List>({ items: ['koffie', 'thee'] });
		await eventually(() => relayHas(phone, list), Boolean);
		await eventually(() => list.documentId in relay.repo.handles, (loaded) => !loaded);

		// Another device asks for it: the relay loads it from disk, serves it, and lets go of it again.
		const held: Array<WeakRef<object>> = [];
		const storage = relay.repo.storageSubsystem!;
		const loadDoc = storage.loadDoc.bind(storage);
		storage.loadDoc = async <T>(id: Parameters<typeof loadDoc>[0]) => {
			const doc = await loadDoc<T>(id);
			if (doc && id === list.documentId) held.push(new WeakRef(doc));
			return doc;
		};
		const other = client(relay, hosted.key);
		repos.push(other);
		const theirs = await find<List>(other, list.url);
		await eventually(() => theirs.isReady() && [...theirs.doc().items].join(), (items) => items === 'koffie,thee');
		held.push(new WeakRef(relay.repo.handles[list.documentId]!));
		expect(held).toHaveLength(2);
		await eventually(() => list.documentId in relay.repo.handles, (loaded) => !loaded);
		expect(await collected(held)).toBe(true);
		expect(relay.faults.total).toBe(0);
	});

	it('include the roots: one stays out of memory until a device opens it, and what it lists then still goes to its neighbourhood', async () => {
		const { relay } = await relayWithIdle(300);
		const hosted = await hostedOn(relay.repo, relay.registry, relay.access, 'Lindenbuurt', `http://127.0.0.1:${relay.port}`);
		const rootId = hosted.root.replace('automerge:', '');
		const storage = relay.repo.storageSubsystem!;
		const loadDoc = storage.loadDoc.bind(storage);
		let rootLoads = 0;
		storage.loadDoc = async <T>(id: Parameters<typeof loadDoc>[0]) => {
			if (id === rootId) rootLoads += 1;
			return loadDoc<T>(id);
		};
		await eventually(() => rootId in relay.repo.handles, (loaded) => !loaded);
		// The relay follows every root for what it lists; it used to load each one again within a second.
		const loadsWhileUnused = rootLoads;
		await pause(1000);
		expect(rootLoads).toBe(loadsWhileUnused);
		expect(rootId in relay.repo.handles).toBe(false);

		const phone = client(relay, hosted.key);
		repos.push(phone);
		const quarter = newQuarter('Ladder te leen');
		await listOnRoot(phone, hosted.root, quarter);
		await eventually(() => relay.registry.ownerOf(quarter.documentId), (owner) => owner === hosted.id);
		expect(relay.faults.total).toBe(0);
	});

	it('include one a phone announced and never delivered, which can still arrive later', async () => {
		const lines: string[] = [];
		const { relay } = await relayWithIdle(300, tempDir(), 500, lines);
		const hosted = await hostedOn(relay.repo, relay.registry, relay.access, 'Lindenbuurt', `http://127.0.0.1:${relay.port}`);

		// A phone announces a document nobody lists: answered as by an empty peer, nothing is kept.
		const stray = newQuarter('Fiets te koop');
		await announceAndVanish(relay.port, hosted.key, stray.doc, stray.documentId);
		expect(relay.repo.handles[stray.documentId]).toBeUndefined();
		expect(relay.registry.ownerOf(stray.documentId)).toBeUndefined();

		// The phone's app lists its new quarter in the root, then announces the quarter and vanishes.
		const phone = client(relay, hosted.key);
		repos.push(phone);
		const quarter = newQuarter('Ladder te leen');
		await listOnRoot(phone, hosted.root, quarter);
		await eventually(() => relay.registry.ownerOf(quarter.documentId), (owner) => owner === hosted.id);
		await announceAndVanish(relay.port, hosted.key, quarter.doc, quarter.documentId);
		await shutdown(...repos.splice(0));
		// The relay waited for the listed one, gave up, and let go of it; never of the stray one.
		await eventually(() => relay.repo.handles[quarter.documentId], (handle) => handle === undefined);
		const timedOut = () => lines.filter((line) => line.includes('"reason":"sync-timeout"'));
		await eventually(timedOut, (found) => found.some((line) => line.includes(quarter.documentId)));
		expect(timedOut().some((line) => line.includes(stray.documentId))).toBe(false);
		expect(relay.repo.handles[stray.documentId]).toBeUndefined();
		expect(relay.registry.ownerOf(stray.documentId)).toBeUndefined();

		// Later the phone is back with both; another device gets both.
		const back = client(relay, hosted.key);
		const other = client(relay, hosted.key);
		repos.push(back, other);
		for (const { doc, documentId } of [quarter, stray]) back.import<Quarter>(A.save(doc), { docId: documentId });
		for (const { url, doc } of [quarter, stray]) {
			const text = await eventually(
				async () => {
					const handle = await find<Quarter>(other, url);
					return handle.isReady() ? handle.doc().posts.first : undefined;
				},
				(t) => t === doc.posts.first,
				15_000
			);
			expect(text).toBe(doc.posts.first);
		}
		expect(relay.registry.isProvisional(quarter.documentId)).toBe(false);
		expect(relay.registry.ownerOf(stray.documentId)).toBe(hosted.id);
	}, 30_000);
});
