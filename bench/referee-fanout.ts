// Fan-out with and without the referee: one writer's honest change on the ten-year board's latest
// quarter until every one of N readers has it, through two real relays started from copies of the
// same data folder, one without rules (checking off) and one with them (checking on). The samples
// alternate between the two (off, on, on, off, …) so that load on the machine falls on both alike.
// Each relay and each relay's readers run in a process of their own; the writers run here. The
// clock starts once the writer's device has made the change and stops when the readers' process
// reports that the last of its readers has it.
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccessBook } from '../relay/access-book.ts';
import type { HelpDoc } from '../src/lib/help/document.ts';
import { doorAdapter, doorAt, type Door } from '../tests/relay/door.ts';
import { newMember } from '../tests/relay/members.ts';
import { prng } from './generate-help.ts';
import { holdDocument } from './held-document.ts';
import { helpActions, type Action } from './referee-cost.ts';
import type { MemoryFigures } from './relay-memory.ts';
import type { ToReaders } from './referee-readers.ts';
import type { RulesChoice } from './referee-rules.ts';
import { joinAs, type RefereeSeed } from './referee-seed.ts';

export interface FanoutResult {
	readers: number;
	/** Milliseconds per sample; Infinity for a change that never reached every reader. */
	off: number[];
	on: number[];
	/** The relay with rules logged these refusals (rule names only): an honest writer should see none. */
	refusals: string[];
}

/** A change that has not reached every reader after this long is counted as lost. */
const TIMEOUT_MS = 60_000;
/** Long enough for a relay to finish a first sync's work before its memory is read. */
const QUIET_MS = 3000;
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** A relay to measure: a script that tells its parent its port over IPC and stops on "stop". */
export interface FanoutRelay {
	name: string;
	script: string;
	args: string[];
	/** How a device with this member credential reaches the relay on this port. */
	door(port: number, credential: string): Door;
}

/** The people of a fan-out: one writer, the readers' credentials, and the quarter as stored. */
export interface FanoutPeople {
	writer: string;
	credential: string;
	readers: string[];
	bytesFile: string;
	/**
	 * Other members, as many as the readers, who connect once and leave before anything is measured
	 * (`--warm`): the relay then runs the paths of a connection hot, as a relay that ran for a day
	 * does, and the engine's optimised code for them (with its metadata, outside the code space) is
	 * not counted as memory of the connections measured. Other members, so that what the relay keeps
	 * for each member (last seen, its share) is still counted.
	 */
	rehearsal?: string[];
}

export interface SideFigures {
	/** Milliseconds per sample; Infinity for a change that never reached every reader. */
	times: number[];
	/** The relay process's memory (after a full collection) before the readers came, and with them all connected and quiet. */
	before: MemoryFigures;
	withReaders: MemoryFigures;
	/**
	 * The same with the first readers only (`FIRST_READERS`), connected and quiet: from there to all
	 * of them, what each further connection costs, without what the first ones set up once (code
	 * the engine compiled for a path, tables made at the first member).
	 */
	firstReaders: MemoryFigures;
}

/** One relay being measured: its process, its readers' process and the writer's repository. */
export interface Side {
	name: string;
	relay: ChildProcess;
	readers: ChildProcess;
	repo: Repo;
	handle: DocHandle<HelpDoc>;
	next: () => Action<HelpDoc> | undefined;
	output: () => string;
}

function spawnTsx(file: string, args: string[]): { child: ChildProcess; output: () => string } {
	const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	// A process started for a measurement must not outlive it, even when the measurement fails.
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	child.once('exit', () => process.off('exit', kill));
	return { child, output: () => output };
}

/** The first IPC message `match` accepts, or an error after `ms`. */
function message<T>(child: ChildProcess, match: (m: unknown) => T | undefined, ms: number, what: string, output?: () => string): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => done(new Error(`${what} within ${ms} ms${output ? `: ${output().slice(-2000)}` : ''}`)), ms);
		const onMessage = (m: unknown) => {
			const found = match(m);
			if (found !== undefined) done(undefined, found);
		};
		const onExit = (code: number | null) => done(new Error(`${what}: the process exited (${code})${output ? `: ${output().slice(-2000)}` : ''}`));
		const done = (error?: Error, value?: T) => {
			clearTimeout(timer);
			child.off('message', onMessage);
			child.off('exit', onExit);
			if (error) reject(error);
			else resolve(value as T);
		};
		child.on('message', onMessage);
		child.once('exit', onExit);
	});
}

async function until(condition: () => boolean, ms: number, what: string) {
	const deadline = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** Readers that connect first, before the rest: see `SideFigures.firstReaders`. */
export const FIRST_READERS = 20;

async function startSide(
	spec: FanoutRelay,
	seed: RefereeSeed,
	people: FanoutPeople,
	random: () => number,
	progress?: (line: string) => void
): Promise<Side & { before: MemoryFigures; firstReaders: MemoryFigures }> {
	const name = spec.name;
	const relay = spawnTsx(spec.script, spec.args);
	const { port } = await message(relay.child, (m) => (typeof m === 'object' && m && 'port' in m ? (m as { port: number }) : undefined), 60_000, `relay (${name}) did not start`, relay.output);
	// The writer first: the relay loads the document for it, so that what the readers add is theirs alone.
	const repo = new Repo({ network: [doorAdapter(spec.door(port, people.credential), 500)] });
	const handle = holdDocument(repo, seed.quarter.url as AutomergeUrl, A.clone(seed.quarter.doc, { actor: randomBytes(16).toString('hex') }));
	await until(() => repo.peers.length > 0, 30_000, `the writer did not reach relay (${name})`);
	await new Promise((r) => setTimeout(r, QUIET_MS));
	if (people.rehearsal?.length) await rehearse(spec, port, seed, people, people.rehearsal, progress);
	const before = await memoryOf(relay.child);
	const readers = spawnTsx(script('./referee-readers.ts'), []);
	await message(readers.child, (m) => (m === 'listening' ? true : undefined), 60_000, `the readers' process (${name}) did not start`, readers.output);
	const doors = people.readers.map((c) => spec.door(port, c));
	const first = Math.min(FIRST_READERS, Math.floor(doors.length / 2));
	const connecting = (m: unknown) => {
		if (typeof m === 'object' && m !== null && 'connected' in m) progress?.(`relay (${name}): ${(m as { connected: number }).connected} of ${people.readers.length} readers connected`);
	};
	readers.child.on('message', connecting);
	const connect = async (wave: typeof doors) => {
		const ready = message(readers.child, (m) => (typeof m === 'object' && m !== null && 'ready' in m ? true : undefined), 300_000, `the readers of relay (${name}) did not connect`, () => `${readers.output()}\nrelay: ${relay.output()}`);
		readers.child.send({ init: { doors: wave, url: seed.quarter.url, bytesFile: people.bytesFile } } satisfies ToReaders);
		await ready;
	};
	await connect(doors.slice(0, first));
	await new Promise((r) => setTimeout(r, QUIET_MS));
	const firstReaders = await memoryOf(relay.child);
	await connect(doors.slice(first));
	readers.child.off('message', connecting);
	const writer = people.writer;
	return {
		name,
		relay: relay.child,
		readers: readers.child,
		repo,
		handle,
		next: helpActions(random, seed.quarter.doc, { posters: [writer], responders: [writer], manager: writer }),
		output: relay.output,
		before,
		firstReaders
	};
}

/** Readers that connect, sync and leave again (`FanoutPeople.rehearsal`). */
async function rehearse(spec: FanoutRelay, port: number, seed: RefereeSeed, people: FanoutPeople, credentials: string[], progress?: (line: string) => void) {
	const readers = spawnTsx(script('./referee-readers.ts'), []);
	await message(readers.child, (m) => (m === 'listening' ? true : undefined), 60_000, `the rehearsal's readers (${spec.name}) did not start`, readers.output);
	const ready = message(readers.child, (m) => (typeof m === 'object' && m !== null && 'ready' in m ? true : undefined), 300_000, `the rehearsal's readers (${spec.name}) did not connect`, readers.output);
	readers.child.send({ init: { doors: credentials.map((c) => spec.door(port, c)), url: seed.quarter.url, bytesFile: people.bytesFile } } satisfies ToReaders);
	await ready;
	const exited = new Promise((r) => readers.child.once('exit', r));
	readers.child.send('stop');
	await exited;
	progress?.(`relay (${spec.name}): ${credentials.length} readers connected once and left`);
	await new Promise((r) => setTimeout(r, QUIET_MS));
}

/** The relay's memory after a full collection (bench/relay-memory.ts). */
function memoryOf(relay: ChildProcess): Promise<MemoryFigures> {
	relay.send('memory');
	return message(relay, (m) => (typeof m === 'object' && m !== null && 'memory' in m ? (m as { memory: MemoryFigures }).memory : undefined), 30_000, 'no memory figures');
}

let samples = 0;

/** One honest change by the writer; milliseconds until every reader has it. */
async function sample(side: Side): Promise<number> {
	for (let tries = 0; tries < 50; tries += 1) {
		const action = side.next();
		if (!action) continue;
		const heads = side.handle.heads().join();
		action.run(side.handle);
		if (side.handle.heads().join() === heads) continue;
		const start = performance.now();
		const hash = A.decodeChange(A.getLastLocalChange(side.handle.doc())!).hash;
		const n = ++samples;
		const seen = message(side.readers, (m) => ((m as { seen?: number })?.seen === n ? true : undefined), TIMEOUT_MS, 'late');
		side.readers.send({ watch: hash, sample: n } satisfies ToReaders);
		return seen.then(
			() => performance.now() - start,
			() => Infinity
		);
	}
	throw new Error('the writer found no honest change to make');
}

async function stop(side: Side) {
	await side.repo.shutdown().catch(() => undefined);
	for (const child of [side.readers, side.relay]) {
		if (child.exitCode !== null) continue;
		const exited = new Promise((r) => child.once('exit', r));
		child.send('stop');
		const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(killer);
	}
}

/**
 * Fan-out through each relay in turn, sample by sample (the order alternating, so that load on the
 * machine falls on all alike), after `warmup` changes each. The relays start side by side: a
 * hundred readers take a while to connect, and there are two cores.
 */
export async function measureSides(
	relays: FanoutRelay[],
	seed: RefereeSeed,
	people: FanoutPeople,
	options: { samples: number; warmup: number; seed: number; progress?: (line: string) => void; stopEarly?: (sides: Side[]) => boolean },
	afterwards?: (sides: Side[]) => void
): Promise<Record<string, SideFigures>> {
	const sides: Array<Side & { before: MemoryFigures; firstReaders: MemoryFigures }> = [];
	try {
		// Every side makes the same changes in the same order.
		const started = await Promise.allSettled(relays.map((spec) => startSide(spec, seed, people, prng(options.seed), options.progress)));
		for (const side of started) if (side.status === 'fulfilled') sides.push(side.value);
		for (const side of started) if (side.status === 'rejected') throw side.reason;
		// Quiet connections: whatever the readers' first sync left to do is done.
		await new Promise((r) => setTimeout(r, QUIET_MS));
		const figures: Record<string, SideFigures> = {};
		for (const side of sides) figures[side.name] = { times: [], before: side.before, firstReaders: side.firstReaders, withReaders: await memoryOf(side.relay) };
		options.progress?.(`${people.readers.length} readers on each relay; ${options.warmup} changes each to warm up, then ${options.samples} each, alternating`);
		for (let i = 0; i < options.warmup; i += 1) for (const side of sides) await sample(side);
		for (let i = 0; i < options.samples; i += 1) {
			for (const side of i % 2 === 0 ? sides : [...sides].reverse()) figures[side.name].times.push(await sample(side));
			options.progress?.(`change ${i + 1}: ${sides.map((side) => `${side.name} ${Math.round(figures[side.name].times[i])} ms`).join(', ')}`);
			if (options.stopEarly?.(sides)) break;
		}
		afterwards?.(sides);
		return figures;
	} finally {
		await Promise.allSettled(sides.map(stop));
	}
}

export async function measureFanout(
	seed: RefereeSeed,
	options: { readers: number; samples: number; warmup: number; checking: RulesChoice; seed: number; progress?: (line: string) => void }
): Promise<FanoutResult> {
	const work = mkdtempSync(join(tmpdir(), 'noaber-referee-fanout-'));
	const off = join(work, 'off');
	const on = join(work, 'on');
	cpSync(seed.data, off, { recursive: true });
	const people = fanoutPeople(seed, off, options.readers, work);
	cpSync(off, on, { recursive: true });
	const relay = (name: 'off' | 'on', data: string, checking: 'off' | RulesChoice): FanoutRelay => ({
		name,
		script: script('./referee-relay.ts'),
		args: [data, checking],
		door: (port, credential) => doorAt(port, credential)
	});
	let refusals: string[] = [];
	const figures = await measureSides(
		[relay('off', off, 'off'), relay('on', on, options.checking)],
		seed,
		people,
		// A change the relay refused takes every later change of that writer with it: stop measuring.
		{ ...options, stopEarly: (sides) => refusalsOf(sides[1]).length > 0 },
		(sides) => (refusals = refusalsOf(sides[1]))
	);
	return { readers: options.readers, off: figures.off.times, on: figures.on.times, refusals };
}

/** The writer (the resident with the most posts of their own on the quarter, and a manager) and N readers, members of the neighbourhood in `data`. */
export function fanoutPeople(seed: RefereeSeed, data: string, readers: number, work: string, rehearsal = 0): FanoutPeople {
	const book = new AccessBook(data);
	const counts = new Map<string, number>();
	for (const post of Object.values(seed.quarter.doc.posts)) if (!post.actedBy) counts.set(String(post.author), (counts.get(String(post.author)) ?? 0) + 1);
	const writer = [...counts].sort((a, b) => b[1] - a[1])[0][0];
	const { credential } = joinAs(book, seed.neighbourhood, writer, 'Schrijver', ['manager']);
	const credentials = Array.from({ length: readers }, (_, i) => newMember(book, seed.neighbourhood, { name: `Lezer ${i + 1}` }).credential);
	const bytesFile = join(work, 'quarter.automerge');
	writeFileSync(bytesFile, seed.quarter.bytes);
	const others = Array.from({ length: rehearsal }, (_, i) => newMember(book, seed.neighbourhood, { name: `Voorbijganger ${i + 1}` }).credential);
	return { writer, credential, readers: credentials, bytesFile, ...(rehearsal > 0 ? { rehearsal: others } : {}) };
}

/** What the relay with rules logged as refused (rule and path, never content). */
function refusalsOf(side: Side | undefined): string[] {
	return (side?.output() ?? '')
		.split('\n')
		.filter((line) => line.includes('change refused by rule'))
		.map((line) => {
			try {
				const { rule, path } = JSON.parse(line) as { rule?: string; path?: string[] };
				return `${rule} at ${(path ?? []).join('/')}`;
			} catch {
				return line.slice(0, 200);
			}
		});
}
