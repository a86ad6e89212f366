// Figures of issue #16: the relay's memory with many neighbourhoods, of which a few are in use.
// 200 neighbourhoods of two years each are seeded into one data folder. The compiled relay
// (relay-build/, as a production install runs it) then starts twice on copies of that folder, one
// after the other in this run: once without unloading idle documents (what every relay did before
// it could) and once unloading documents idle for a few seconds (5 minutes in production). In each,
// a device opens every neighbourhood once, one after the other, as a day in which every
// neighbourhood was opened; then 10 devices stay and post now and then. Memory is read from the
// relay's own /metrics (resident set) after the visits, and after the active minute.
//   npm run build && npx tsx bench/many-neighbourhoods.ts [--neighbourhoods 200] [--active 10] [--only kept|unloaded]
// Automerge keeps its WebAssembly memory at its high-water mark, so what unloading saves shows in
// how high memory climbs while neighbourhoods are visited, not in memory handed back afterwards.
import '@automerge/automerge';
import { Repo, type AutomergeUrl, type DocHandle, type PeerId } from '@automerge/automerge-repo/slim';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AccessBook } from '../relay/access-book.ts';
import { Registry } from '../relay/registry.ts';
import type { HelpDoc } from '../src/lib/help/document.ts';
import { blankPost, createPost } from '../src/lib/help/mutations.ts';
import { parseSecret, peerIdFor } from '../src/lib/access/secret.ts';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { newMember } from '../tests/relay/members.ts';
import { doorAdapter } from '../tests/relay/door.ts';
import { generate, type Scale } from './generate-help.ts';
import { startRelayChild, type RelayChild } from './relay-child.ts';
import { seedRelay } from './seed-relay.ts';
import { median } from './timing.ts';

const { values } = parseArgs({
	options: {
		neighbourhoods: { type: 'string', default: '200' },
		active: { type: 'string', default: '10' },
		'idle-ms': { type: 'string', default: '3000' },
		'active-ms': { type: 'string', default: '60000' },
		// One of the two relays only, e.g. while working on unloading: kept | unloaded.
		only: { type: 'string' }
	}
});
const count = Number(values.neighbourhoods);
const activeCount = Math.min(count, Number(values.active));
const idleMs = Number(values['idle-ms']);
const activeMs = Number(values['active-ms']);
if (!existsSync('relay-build/cli.js')) throw new Error('run `npm run build` first: relay-build/cli.js is missing');

// Two years of a lively small neighbourhood: 60 members, 400 posts, 1,000 responses.
const TWO_YEARS: Scale = { posts: 400, responses: 1000, members: 60, periods: 8 };

interface Seeded {
	id: string;
	root: string;
	credential: string;
	memberId: string;
}

const MB = 1024 * 1024;

async function seed(data: string): Promise<Seeded[]> {
	const generated = generate(16, TWO_YEARS);
	const seeded: Seeded[] = [];
	for (let i = 0; i < count; i++) {
		const hosted = await seedRelay(data, 'http://localhost:3000', generated);
		const granted = newMember(new AccessBook(data), hosted.id, { name: `Wijkverbinder ${i}`, roles: ['manager'] });
		seeded.push({ id: hosted.id, root: hosted.root, credential: granted.credential, memberId: granted.memberId });
	}
	// Every seed wrote the registry on its own: one read at the end says they are all there.
	const hostedNow = new Registry(data).list().length;
	if (hostedNow !== count) throw new Error(`seeded ${hostedNow} neighbourhoods, expected ${count}`);
	return seeded;
}

let resets = 0;

function device(relay: RelayChild, credential: string): Repo {
	const deviceId = parseSecret(credential)?.id;
	const peerId = deviceId ? (peerIdFor(deviceId, randomBytes(6).toString('hex')) as PeerId) : undefined;
	// A retry every few seconds, as the app's: at the tests' 100 ms, a relay busy for a moment gets
	// a new socket from the stock client every 100 ms, and the client leaves each one it replaced
	// open without listeners, so a reset of one of those ends the benchmark process.
	const adapter = doorAdapter(relay.door(credential), 3000);
	// The stock client (2.5.6) throws every socket error but a refused connection, which would end
	// the benchmark; a connection the relay reset is counted and retried, as the app's own client does.
	const stock = adapter.onError;
	adapter.onError = (event) => {
		const code = 'error' in event ? (event.error as { code?: string } | undefined)?.code : undefined;
		if (code === 'ECONNRESET') resets += 1;
		else stock(event);
	};
	return new Repo({ network: [adapter], peerId });
}

async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, ms: number, what: string): Promise<T> {
	const deadline = Date.now() + ms;
	for (;;) {
		const value = await read();
		if (ok(value)) return value;
		if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

/** Every document the root lists: the members, every quarter and archive, the agenda and the map. */
function listed(root: RootDoc): string[] {
	const urls = new Set<string>();
	const walk = (value: unknown) => {
		if (typeof value !== 'object' || value === null) {
			if (String(value).startsWith('automerge:')) urls.add(String(value));
			return;
		}
		for (const [key, inner] of Object.entries(value as object)) {
			if (key.startsWith('automerge:')) urls.add(key);
			walk(inner);
		}
	};
	walk(root.docs);
	return [...urls];
}

async function open(repo: Repo, url: string): Promise<DocHandle<unknown>> {
	const handle = await repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
	if (!handle.isReady()) throw new Error(`${url} is unavailable`);
	return handle;
}

/** Opens a neighbourhood as a device that has never seen it: its root, then every document listed. */
async function visit(relay: RelayChild, n: Seeded): Promise<{ repo: Repo; root: RootDoc }> {
	const repo = device(relay, n.credential);
	await until(() => repo.peers.length, (peers) => peers > 0, 10_000, 'the relay let the device in');
	const root = (await open(repo, n.root)).doc() as RootDoc;
	await Promise.all(listed(root).map((url) => open(repo, url)));
	return { repo, root };
}

async function residentMb(relay: RelayChild): Promise<{ rss: number; loaded: number }> {
	const text = await fetch(`${relay.url}/metrics`).then((r) => r.text());
	const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
	return { rss: read('noaber_process_resident_memory_bytes') / MB, loaded: read('noaber_documents_loaded') };
}

interface Measured {
	mode: string;
	visitMs: number[];
	afterVisits: { rss: number; loaded: number };
	peakAfterVisits: number;
	afterActive: { rss: number; loaded: number };
	peak: number;
	postsSeen: number;
	postsWritten: number;
	resets: number;
	failed?: string;
}

async function measure(mode: string, unloadMs: number, seeded: Seeded[], template: string): Promise<Measured> {
	const data = await mkdtemp(join(tmpdir(), 'noaber-many-run-'));
	await cp(template, data, { recursive: true });
	const relay = await startRelayChild({ data, logLevel: 'warn', env: { NODE_ENV: 'production', NOABER_IDLE_UNLOAD_MS: String(unloadMs) } });
	resets = 0;
	try {
		const visitMs: number[] = [];
		let failed: string | undefined;
		for (const n of seeded) {
			const started = performance.now();
			try {
				const { repo } = await visit(relay, n);
				visitMs.push(performance.now() - started);
				await repo.shutdown();
			} catch (error) {
				// What the relay did until then is the finding: say how far it got, and stop.
				failed = `visit ${visitMs.length + 1} of ${seeded.length} failed: ${(error as Error).message}`;
				break;
			}
		}
		const afterVisits = await residentMb(relay);
		const peakAfterVisits = (relay.peakMemory() ?? NaN) / MB;
		if (failed) {
			const none = { rss: NaN, loaded: NaN };
			return { mode, visitMs, afterVisits, peakAfterVisits, afterActive: none, peak: peakAfterVisits, postsSeen: 0, postsWritten: 0, resets, failed };
		}

		// Ten neighbourhoods stay in use: a device each posts on its newest quarter every few seconds.
		const active = await Promise.all(
			seeded.slice(0, activeCount).map(async (n) => {
				const { repo, root } = await visit(relay, n);
				const newest = Object.keys(root.docs.help).sort((a, b) => String(root.docs.help[b]).localeCompare(String(root.docs.help[a])))[0]!;
				const board = (await open(repo, newest)) as DocHandle<HelpDoc>;
				return { repo, board, n, posted: [] as string[] };
			})
		);
		const ends = Date.now() + activeMs;
		let round = 0;
		while (Date.now() < ends) {
			for (const a of active) {
				a.posted.push(createPost(a.board, { ...blankPost('offer'), category: 'boodschappen', title: `Bench ${round}` }, { memberId: a.n.memberId }));
			}
			round += 1;
			await new Promise((resolve) => setTimeout(resolve, 3000));
		}
		const afterActive = await residentMb(relay);
		const peak = (relay.peakMemory() ?? NaN) / MB;

		// What the devices posted reached the relay: a fresh device of each neighbourhood sees it.
		let postsSeen = 0;
		for (const a of active) {
			const check = device(relay, a.n.credential);
			await until(() => check.peers.length, (peers) => peers > 0, 10_000, 'the relay let the checking device in');
			const board = (await open(check, a.board.url)) as DocHandle<HelpDoc>;
			const posts = await until(() => a.posted.filter((id) => id in (board.doc()?.posts ?? {})).length, (seen) => seen === a.posted.length, 30_000, 'the posts reached the relay').catch(() => a.posted.filter((id) => id in (board.doc()?.posts ?? {})).length);
			postsSeen += posts;
			await check.shutdown();
		}
		await Promise.all(active.map((a) => a.repo.shutdown()));
		return { mode, visitMs, afterVisits, peakAfterVisits, afterActive, peak, postsSeen, postsWritten: active.reduce((sum, a) => sum + a.posted.length, 0), resets };
	} finally {
		const said = relay.output().split('\n').filter((line) => line.trim() && !line.includes('"level":30'));
		if (said.length) console.error(`${mode}: the relay said ${said.length} lines, the last: ${said.slice(-4).join('\n')}`);
		await relay.stop();
		await rm(data, { recursive: true, force: true });
	}
}

console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const template = await mkdtemp(join(tmpdir(), 'noaber-many-'));
try {
	const seeding = performance.now();
	const seeded = await seed(template);
	console.log(`seeded ${count} neighbourhoods (8 quarters, 60 members each) in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
	console.log(`| relay | visit of one neighbourhood, median | after ${count} visits: RSS, documents loaded | highest RSS during the visits | after ${activeMs / 1000} s with ${activeCount} active: RSS, documents loaded | highest RSS | posts that reached the relay | connections reset |`);
	console.log('|---|---|---|---|---|---|---|---|');
	// Each row as soon as it is measured: a run that fails later still says what it found.
	const modes = [['kept', 'kept in memory (no unloading)', 24 * 3600_000], ['unloaded', `unloaded after ${idleMs / 1000} s idle`, idleMs]] as const;
	for (const [, mode, unloadMs] of modes.filter(([key]) => !values.only || key === values.only)) {
		const r = await measure(mode, unloadMs, seeded, template);
		const mb = (n: number) => (Number.isNaN(n) ? '–' : `${n.toFixed(0)} MB`);
		console.log(
			`| ${r.mode} | ${r.visitMs.length ? median(r.visitMs).toFixed(0) : '–'} ms | ${mb(r.afterVisits.rss)}, ${r.afterVisits.loaded} | ${mb(r.peakAfterVisits)} | ${mb(r.afterActive.rss)}, ${Number.isNaN(r.afterActive.loaded) ? '–' : r.afterActive.loaded} | ${mb(r.peak)} | ${r.postsSeen} of ${r.postsWritten} | ${r.resets} |`
		);
		if (r.failed) console.log(`  ${r.mode}: ${r.failed}`);
	}
	console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
	await rm(template, { recursive: true, force: true });
}
