// The hostile inputs of issue #10, each against a fresh relay: what a member's script or an unlucky
// phone sends, and the figures that show what it did to the relay beyond /healthz and memory.
import * as A from '@automerge/automerge';
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FloodPlan, FloodResult } from './hostile-flood.ts';
import { compressionBomb, emptyRequest, headsOnly, nestedChange, nextOp, stringChange, syncWith, type Crafted } from './hostile-inputs.ts';
import type { LoadPlan } from './hostile-load.ts';
import { RawPeer, honestClient, newDocumentId, stopClients, type Closed } from './hostile-peer.ts';
import type { RunningRelay } from './hostile-relay.ts';

export interface CaseContext {
	relay: RunningRelay;
	/** Figures of this case beyond the common ones. */
	report(what: string, value: string): void;
	/** Starts the measured window; what a case does before it is setup and not counted. */
	measure(): void;
	/** The relay's resident memory as last sampled, once measuring. */
	rss(): number | undefined;
	/** Milliseconds this case may still use before it is cut off. */
	left(): number;
	/** Stock clients and raw peers to close when the case ends, however it ends. */
	clients: Repo[];
	peers: RawPeer[];
}

export interface HostileCase {
	name: string;
	title: string;
	/** Makes what takes long to make, before the relay starts. */
	prepare?(): Promise<unknown>;
	/** Settings the relay starts with for this case (a relay that does not know one ignores it). */
	env?: Record<string, string>;
	run(ctx: CaseContext): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);
const closeText = (closed: Closed | undefined) => (closed ? `yes (${closed.code}${closed.reason ? ` ${closed.reason}` : ''})` : 'no');

function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Inputs that take a while to make are made once per run and shared by every relay. */
const once = <T>(make: () => Promise<T> | T) => {
	let made: Promise<T> | undefined;
	return () => (made ??= Promise.resolve().then(make));
};
const deepChange = once(() => nestedChange(10_000));
const bomb = once(() => compressionBomb(1_000_000_000));

async function join(ctx: CaseContext, options: { storageId?: string } = {}): Promise<RawPeer> {
	const peer = await RawPeer.join(ctx.relay, options);
	ctx.peers.push(peer);
	return peer;
}

async function answersHealth(ctx: CaseContext): Promise<boolean> {
	return fetch(`http://127.0.0.1:${ctx.relay.port}/healthz`, { signal: AbortSignal.timeout(1000) })
		.then((r) => r.ok)
		.catch(() => false);
}

/**
 * Resolves once the relay has been answering /healthz for a while after `since`: a relay that
 * drops a change without a word is not stuck, and must not be waited for until the cap.
 */
async function calm(ctx: CaseContext, since: number, settled: () => boolean, quietMs = 15_000): Promise<undefined> {
	let answeringSince: number | undefined;
	for (;;) {
		await sleep(1000);
		if (ctx.relay.exit || settled()) return undefined;
		if (await answersHealth(ctx)) answeringSince ??= Date.now();
		else answeringSince = undefined;
		if (answeringSince !== undefined && Date.now() - since >= quietMs && Date.now() - answeringSince >= 5000) return undefined;
	}
}

/** Sends a change as a sync message and waits for the relay's answer on that document. */
// By default it waits past the cap, so that a relay still busy at the cap is reported as cut off.
async function sendChange(ctx: CaseContext, peer: RawPeer, documentId: string, change: Crafted, ms = ctx.left() + 1000) {
	const started = Date.now();
	const answer = peer.next((m) => m.documentId === documentId, ms);
	peer.sync(documentId, syncWith([change.bytes], [change.hash]));
	let settled = false;
	const message = await Promise.race([answer, calm(ctx, started, () => settled)]);
	settled = true;
	return { message, ms: Date.now() - started };
}

function answerText(answer: { message: { type: string } | undefined; ms: number }, peer: RawPeer): string {
	if (answer.message) return `${answer.message.type} after ${seconds(answer.ms)}`;
	if (peer.closedWith) return `connection closed after ${seconds(answer.ms)}: ${peer.closedWith.code} ${peer.closedWith.reason}`.trim();
	return `none in ${seconds(answer.ms)}`;
}

async function findReady<T>(repo: Repo, documentId: string, ms: number): Promise<DocHandle<T> | undefined> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		const handle = await Promise.race([
			repo.find<T>(`automerge:${documentId}` as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] }).catch(() => undefined),
			sleep(deadline - Date.now()).then(() => undefined)
		]);
		if (handle?.isReady()) return handle;
		await sleep(200);
	}
	return undefined;
}

/** Whether an honest member can still open the neighbourhood after the attack. */
async function honestCheck(ctx: CaseContext, ms = 15_000): Promise<void> {
	if (ctx.left() < 3000) {
		ctx.report('an honest client opens the neighbourhood afterwards', 'not tried, the case ran out of time');
		return;
	}
	const started = Date.now();
	const repo = honestClient(ctx.relay, { retryMs: 1000 });
	ctx.clients.push(repo);
	const root = await findReady(repo, ctx.relay.root, Math.min(ms, ctx.left()));
	ctx.report('an honest client opens the neighbourhood afterwards', root ? `yes, in ${seconds(Date.now() - started)}` : 'no');
}

const headsOnlyThenGone: HostileCase = {
	name: 'heads-only',
	title: 'heads-only first sync of an unknown document, then disconnect',
	async run(ctx) {
		ctx.measure();
		const peer = await join(ctx);
		const documentId = newDocumentId();
		const answer = peer.next((m) => m.documentId === documentId, 2000);
		peer.sync(documentId, headsOnly());
		const message = await answer;
		ctx.report('relay answered the sync with', message?.type ?? 'nothing in 2 s');
		peer.close();
		// automerge-repo 2.5.6 gives up on the document after 60 s; watch past that, or until the
		// relay dies.
		const watchMs = Math.min(65_000, ctx.left() - 20_000);
		await Promise.race([sleep(watchMs), ctx.relay.exited]);
		if (ctx.relay.exit) return;
		ctx.report('watched after the disconnect', seconds(watchMs));
		await honestCheck(ctx);
	}
};

const deepNewDocument: HostileCase = {
	name: 'deep-10k',
	title: 'maps nested 10,000 deep in one change (new document)',
	prepare: deepChange,
	async run(ctx) {
		const change = await deepChange();
		const peer = await join(ctx);
		ctx.measure();
		const message = syncWith([change.bytes], [change.hash]);
		ctx.report('sync message', `${(message.byteLength / 1024).toFixed(1)} KB`);
		const answer = await sendChange(ctx, peer, newDocumentId(), change);
		ctx.report('relay answered the change with', answerText(answer, peer));
		if (ctx.relay.exit) return;
		await sleep(Math.min(3000, ctx.left()));
		ctx.report('sender disconnected', closeText(peer.closedWith));
		await honestCheck(ctx);
	}
};

/** Runs a helper script in its own process; resolves with its last JSON line, or undefined when cut off. */
async function helper<T>(name: string, plan: unknown, ms: number, onLine?: (line: string) => void): Promise<T | undefined> {
	const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
	const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		out += chunk.toString();
		onLine?.(out);
	});
	const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	await Promise.race([ended, sleep(ms)]);
	if (child.exitCode === null) {
		child.kill('SIGKILL');
		await ended;
	}
	const line = out.split('\n').findLast((l) => l.startsWith('{'));
	return line ? (JSON.parse(line) as T) : undefined;
}

const deepRoot: HostileCase = {
	name: 'deep-root',
	title: 'maps nested 3,000 deep inside the root document',
	async run(ctx) {
		// The attacker is a member: it reads the root like any device, then writes into it.
		const member = honestClient(ctx.relay, { retryMs: 1000 });
		const root = await findReady<unknown>(member, ctx.relay.root, 15_000);
		if (!root) throw new Error('the member could not open the root');
		const doc = root.doc();
		const change = nestedChange(3000, { deps: A.getHeads(doc), startOp: nextOp(doc), key: 'diep' });
		// Gone before the attack: applying its own poison would block the benchmark for minutes.
		await stopClients([member]);
		const peer = await join(ctx);
		ctx.measure();
		const answer = await sendChange(ctx, peer, ctx.relay.root, change);
		ctx.report('relay answered the change with', answerText(answer, peer));
		if (ctx.relay.exit) return;
		ctx.report('sender disconnected', closeText(peer.closedWith));
		if (ctx.left() < 5000) return;
		const plan: LoadPlan = { port: ctx.relay.port, key: ctx.relay.key, legacy: ctx.relay.legacy, documentId: ctx.relay.root, mark: 'diep' };
		const ms = Math.max(0, ctx.left() - 2000);
		const loaded = await helper<{ ms: number; has: boolean }>('hostile-load.ts', plan, ms);
		ctx.report(
			'a new device loads the root',
			loaded ? `in ${seconds(loaded.ms)} (${loaded.has ? 'with' : 'without'} the nesting)` : `not within ${seconds(ms)}`
		);
	}
};

const compressed: HostileCase = {
	name: 'bomb',
	title: 'compressed change that inflates to 1 GB',
	prepare: bomb,
	async run(ctx) {
		const change = await bomb();
		ctx.report('change on the wire', `${(change.bytes.byteLength / 1024 / 1024).toFixed(2)} MB, inflates to 1,000 MB`);
		const peer = await join(ctx);
		ctx.measure();
		const answer = await sendChange(ctx, peer, newDocumentId(), change);
		ctx.report('relay answered the change with', answerText(answer, peer));
		if (ctx.relay.exit) return;
		await sleep(Math.min(3000, ctx.left()));
		ctx.report('sender disconnected', closeText(peer.closedWith));
		await honestCheck(ctx);
	}
};

const bigWriter: HostileCase = {
	name: 'writer',
	title: 'one member writing 200 MB across 40 documents',
	async run(ctx) {
		ctx.measure();
		const started = Date.now();
		let peer = await join(ctx);
		let written = 0;
		let refused: string | undefined;
		let documents = 0;
		// 15 s stay for watching the memory afterwards, and each document gets at least 10 s.
		for (let i = 0; i < 40 && !ctx.relay.exit && ctx.left() > 25_000; i += 1) {
			// Random text: what the relay keeps cannot be compressed away.
			const change = stringChange(randomBytes(3_750_000).toString('base64'));
			const answer = await sendChange(ctx, peer, newDocumentId(), change, Math.min(30_000, ctx.left() - 15_000));
			if (answer.message?.type === 'sync') {
				written += change.bytes.byteLength;
				documents += 1;
				continue;
			}
			refused ??= answerText(answer, peer);
			// A relay that closes the connection over a budget may take the member back later.
			if (!peer.closedWith) break;
			peer = await join(ctx).catch(() => peer);
			if (!peer.open) break;
		}
		ctx.report('accepted', `${megabytes(written)} in ${documents} documents, ${seconds(Date.now() - started)}`);
		if (refused) ctx.report('first refusal or silence', refused);
		ctx.report('relay memory after writing', megabytes(ctx.rss()));
		await sleep(Math.min(10_000, ctx.left() - 1000));
		ctx.report('relay memory 10 s later', megabytes(ctx.rss()));
	}
};

const DOCUMENTS_PER_PAGE = 50;
const CHURNS = 300;

/** Small documents of the neighbourhood, brought by one member as the app would create them. */
async function seedDocuments(ctx: CaseContext, count: number, perConnection: number): Promise<string[]> {
	const made: string[] = [];
	for (let start = 0; start < count; start += perConnection) {
		const peer = await join(ctx);
		const ids = Array.from({ length: Math.min(perConnection, count - start) }, () => newDocumentId());
		const answers = ids.map((id) => peer.next((m) => m.documentId === id, 30_000));
		for (const id of ids) {
			const change = stringChange(`boodschappen ${id.slice(0, 6)}`, 'note');
			peer.sync(id, syncWith([change.bytes], [change.hash]));
		}
		const got = await Promise.all(answers);
		ids.forEach((id, i) => got[i] && got[i].type !== 'doc-unavailable' && made.push(id));
		peer.close();
	}
	return made;
}

const churn: HostileCase = {
	name: 'churn',
	title: '300 page loads with fresh peer ids (50 documents each)',
	async run(ctx) {
		const documents = [ctx.relay.root, ...(await seedDocuments(ctx, DOCUMENTS_PER_PAGE - 1, DOCUMENTS_PER_PAGE))];
		ctx.measure();
		await sleep(1500);
		const before = ctx.rss();
		const started = Date.now();
		let complete = 0;
		let done = 0;
		const request = emptyRequest();
		// Ten devices, each with its storage id, reloading the page: a new peer id every time.
		const pageLoad = async (i: number) => {
			const peer = await RawPeer.join(ctx.relay, { storageId: `device-${i % 10}` });
			const seen = new Set<string>();
			const all = new Promise<void>((resolve) => {
				peer.on((m) => {
					if (m.type === 'sync' && m.documentId) seen.add(m.documentId);
					if (seen.size === documents.length) resolve();
				});
			});
			for (const id of documents) peer.sync(id, request, 'request');
			await Promise.race([all, sleep(15_000), peer.closed]);
			if (seen.size === documents.length) complete += 1;
			peer.close();
			await Promise.race([peer.closed, sleep(2000)]);
		};
		let next = 0;
		const worker = async () => {
			while (next < CHURNS && !ctx.relay.exit && ctx.left() > 15_000) {
				const i = next++;
				await pageLoad(i).catch(() => undefined);
				done += 1;
			}
		};
		await Promise.all([worker(), worker(), worker(), worker()]);
		ctx.report('page loads', `${done} in ${seconds(Date.now() - started)}, ${complete} got all ${documents.length} documents`);
		await sleep(Math.min(3000, ctx.left() - 1000));
		const after = ctx.rss();
		ctx.report('relay memory before / after the page loads', `${megabytes(before)} / ${megabytes(after)}`);
		if (before !== undefined && after !== undefined && done > 0) {
			ctx.report('growth per page load', `${Math.round((after - before) / done / 1024)} KB`);
		}
	}
};

const FLOOD_SECONDS = 15;
const ROUND_TRIP_WAIT = 10_000;
const roundTripText = (ms: number) => (ms >= ROUND_TRIP_WAIT ? `> ${ROUND_TRIP_WAIT / 1000} s` : `${ms} ms`);

async function roundTrip(writer: DocHandle<{ n: number }>, reader: DocHandle<{ n: number }>, n: number, ms: number): Promise<number> {
	const started = Date.now();
	const seen = new Promise<void>((resolve) => {
		const check = () => {
			if (reader.doc()?.n === n) {
				reader.off('change', check);
				resolve();
			}
		};
		reader.on('change', check);
	});
	writer.change((d) => {
		d.n = n;
	});
	await Promise.race([seen, sleep(ms)]);
	return Date.now() - started;
}

const presenceFlood: HostileCase = {
	name: 'presence',
	title: 'presence flood from 50 connections of one member',
	async run(ctx) {
		const writerRepo = honestClient(ctx.relay, { retryMs: 1000 });
		const readerRepo = honestClient(ctx.relay, { retryMs: 1000 });
		ctx.clients.push(writerRepo, readerRepo);
		// Brought to the relay first: the relay announces nothing, so a device that asked before the
		// relay had it would wait for good.
		const [documentId] = await seedDocuments(ctx, 1, 1);
		if (!documentId) throw new Error('the relay did not take the honest member’s document');
		const writer = await findReady<{ n: number }>(writerRepo, documentId, 15_000);
		const reader = await findReady<{ n: number }>(readerRepo, documentId, 15_000);
		if (!writer || !reader) throw new Error('the honest member could not open its document');
		let n = 0;
		const quiet: number[] = [];
		for (let i = 0; i < 10; i += 1) quiet.push(await roundTrip(writer, reader, ++n, ROUND_TRIP_WAIT));
		ctx.report('honest round trip before, p95', roundTripText(percentile(quiet, 95)));

		ctx.measure();
		const plan: FloodPlan = { port: ctx.relay.port, key: ctx.relay.key, legacy: ctx.relay.legacy, documentId, connections: 50, perSecond: 190, seconds: FLOOD_SECONDS };
		let markReady: () => void = () => undefined;
		const ready = new Promise<void>((resolve) => (markReady = resolve));
		const flood = helper<FloodResult>('hostile-flood.ts', plan, Math.max(0, ctx.left() - 2000), (out) => out.includes('ready') && markReady());
		await Promise.race([ready, flood, sleep(30_000)]);
		let presence = 0;
		const count = () => (presence += 1);
		reader.on('ephemeral-message', count);
		const started = Date.now();
		const during: number[] = [];
		while (Date.now() - started < FLOOD_SECONDS * 1000 && !ctx.relay.exit && ctx.left() > 12_000) {
			during.push(await roundTrip(writer, reader, ++n, ROUND_TRIP_WAIT));
			await sleep(100);
		}
		reader.off('ephemeral-message', count);
		const floodMs = Date.now() - started;
		const figures = await flood;
		if (figures) {
			ctx.report('attacker', `${figures.joined} connections, ${figures.sent} presence messages sent in ${FLOOD_SECONDS} s`);
			const closed = Object.entries(figures.closed).map(([code, count]) => `${count}× ${code}`);
			ctx.report('attacker connections closed by the relay', closed.length ? closed.join(', ') : 'none');
		}
		const late = during.filter((ms) => ms >= ROUND_TRIP_WAIT).length;
		ctx.report(
			'honest round trip during, p95 / max',
			`${roundTripText(percentile(during, 95))} / ${roundTripText(Math.max(...during))} (${during.length} rounds${late ? `, ${late} unanswered in ${ROUND_TRIP_WAIT / 1000} s` : ''})`
		);
		ctx.report('presence messages reaching the honest member', `${Math.round(presence / (floodMs / 1000))} per second`);
	}
};

const MANY = 3000;
const MANY_WINDOW_MS = 40_000;

/**
 * A client asks for `MANY` documents at once, of which `stored` are in its neighbourhood (the rest
 * are ids the relay does not have). Measured from a restart on the folder the seeding filled:
 * documents pile up over months, not in the minute before someone asks for all of them.
 */
function manyDocuments(name: string, title: string, stored: number, env: Record<string, string> = {}): HostileCase {
	return {
		name,
		title,
		env,
		async run(ctx) {
			const started = Date.now();
			const documents = await seedDocuments(ctx, stored, 100);
			ctx.report('documents in the neighbourhood', `${documents.length + 1} (made in ${seconds(Date.now() - started)})`);
			await ctx.relay.restart();
			ctx.measure();
			let disconnects = 0;
			const device = honestClient(ctx.relay, { onDisconnect: () => (disconnects += 1) });
			ctx.clients.push(device);
			const unknown = Array.from({ length: MANY - documents.length }, () => newDocumentId());
			const opening = Date.now();
			for (const id of [...documents, ...unknown]) {
				void device.find(`automerge:${id}` as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] }).catch(() => undefined);
			}
			const ready = () => documents.filter((id) => device.handles[id as never]?.isReady()).length;
			// A fixed window, so that disconnects are counted alike on every relay.
			const windowMs = Math.min(MANY_WINDOW_MS, ctx.left() - 5000);
			let allAt: number | undefined;
			while (Date.now() - opening < windowMs && !ctx.relay.exit) {
				if (allAt === undefined && ready() === documents.length) allAt = Date.now() - opening;
				await sleep(200);
			}
			const got = ready();
			ctx.report('documents the client got', `${got} of ${documents.length}${allAt === undefined ? '' : `, all in ${seconds(allAt)}`}`);
			ctx.report('watched', seconds(Date.now() - opening));
			ctx.report('disconnects of the client', String(disconnects));
		}
	};
}

// As shipped, a neighbourhood keeps at most 1,000 documents (NOABER_MAX_NEIGHBOURHOOD_DOCUMENTS),
// so one member can make the relay load no more than that; the other 2,000 ids are unknown to it.
const manyAsShipped = manyDocuments('many-docs', 'a client requesting 3,000 documents at once (1,000 stored, the most a neighbourhood keeps)', 999);
// With that limit raised, all 3,000 are there to be loaded.
const manyStored = manyDocuments('many-docs-3000', 'a client requesting 3,000 stored documents at once (limit raised)', MANY, {
	NOABER_MAX_NEIGHBOURHOOD_DOCUMENTS: String(MANY + 100)
});

export const CASES: HostileCase[] = [headsOnlyThenGone, deepNewDocument, deepRoot, compressed, bigWriter, churn, presenceFlood, manyAsShipped, manyStored];
