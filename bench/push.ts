// Figure of issue #13: from a news item handed to the relay's push callback to the push request
// leaving the relay, with 1,000 subscribed devices in 10 neighbourhoods, and what notifications
// cost the relay in CPU and memory, measured with notifications on and off in one run.
//
// The relay runs in a child process (bench/push-child.ts) on a prepared data folder: 10
// neighbourhoods of 100 members with one device each, every device subscribed at a stand-in push
// service on localhost (tests/relay/push-service.ts, which checks each request's VAPID signature;
// it does not decrypt here, to keep this process's own load out of the arrival times). Items are
// fed over IPC, each for a random member of a random neighbourhood about a post of its own, so
// every item is one push at once (no quiet hours: the child's clock says ten in the morning; no
// grouping). Two loads: steady (items spread over time) and a burst (one item for every device at
// once). A push is matched to its item by its Topic header (a hash of the item's group). Latency
// is the push service's arrival time minus the moment the item reached the callback, on the same
// machine's clock. CPU is the child's user+system time during the feed; memory its resident set
// and heap after the feed (after a GC when node runs with --expose-gc).
//
//   npx tsx bench/push.ts [--rate 100] [--seconds 10] [--profile]
// --profile writes the relay child's CPU profiles to <tmp>/noaber-push-profile.
// Later: start the clock at "response stored at the relay" instead of at the callback.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessBook } from '../relay/access-book.ts';
import { Subscriptions } from '../relay/push/subscriptions.ts';
import { NEWS_KINDS, type NewsItem } from '../src/lib/news/item.ts';
import type { Granted } from '../src/lib/access/api.ts';
import { newMember } from '../tests/relay/members.ts';
import { startPushService, type StandIn } from '../tests/relay/push-service.ts';
import { fmt, mb } from './timing.ts';

const argument = (name: string, fallback: number) => {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RATE = argument('rate', 100);
const SECONDS = argument('seconds', 10);
const NEIGHBOURHOODS = 10;
const MEMBERS = 100;

const topicOf = (group: string) => createHash('sha256').update(group).digest('base64url').slice(0, 32);
const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

interface Stats {
	cpu: NodeJS.CpuUsage;
	memory: NodeJS.MemoryUsage;
	reached: Array<[string, number]>;
}

function prepare(service: StandIn) {
	const data = mkdtempSync(join(tmpdir(), 'noaber-bench-push-'));
	const book = new AccessBook(data);
	const subscriptions = new Subscriptions(data);
	const members: Array<{ neighbourhood: string; granted: Granted[] }> = [];
	for (let n = 0; n < NEIGHBOURHOODS; n += 1) {
		const neighbourhood = `buurt${n}`;
		const granted: Granted[] = [];
		for (let i = 0; i < MEMBERS; i += 1) {
			const member = newMember(book, neighbourhood, { name: `Buur ${i}` });
			const { id: _id, ...subscription } = service.subscribe(member.deviceId);
			subscriptions.set({ neighbourhood, member: member.memberId, device: member.deviceId, subscription, choice: { kinds: [...NEWS_KINDS], weekly: false, language: 'nl' } });
			granted.push(member);
		}
		members.push({ neighbourhood, granted });
	}
	return { data, members };
}

let serial = 0;
function randomItem(members: ReturnType<typeof prepare>['members']): { neighbourhood: string; item: NewsItem } {
	const { neighbourhood, granted } = members[Math.floor(Math.random() * members.length)]!;
	const target = granted[Math.floor(Math.random() * granted.length)]!;
	const actor = granted.find((g) => g !== target)!;
	serial += 1;
	const post = `post${String(serial).padStart(8, '0')}`;
	return {
		neighbourhood,
		item: {
			id: `response:${post}:r1`,
			kind: 'response',
			for: target.memberId,
			at: new Date().toISOString(),
			actor: actor.memberId,
			subject: { module: 'help', id: post, category: 'boodschappen' },
			path: `/hulp/${post}`,
			group: `help:${post}`
		}
	};
}

async function startChild(data: string, on: boolean) {
	const profile = process.argv.includes('--profile') ? ['--cpu-prof', '--cpu-prof-dir', join(tmpdir(), 'noaber-push-profile')] : [];
	const child = spawn(process.execPath, ['--expose-gc', ...profile, '--import', 'tsx', 'bench/push-child.ts'], {
		env: { ...process.env, NOABER_DATA: data, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', BENCH_PUSH: on ? 'on' : 'off', NOABER_PUSH_CONTACT: 'bench@example.nl' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	process.once('exit', () => child.kill('SIGKILL'));
	const ready = await new Promise<{ subscriptions: number }>((resolve, reject) => {
		child.once('message', resolve);
		child.once('exit', (code) => reject(new Error(`relay child exited with ${code}`)));
	});
	return { child, subscriptions: ready.subscriptions };
}

const ask = (child: ChildProcess) =>
	new Promise<Stats>((resolve) => {
		child.once('message', (m) => resolve(m as Stats));
		child.send({ type: 'stats' });
	});

async function until(condition: () => boolean, ms: number) {
	const deadline = Date.now() + ms;
	while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

async function phase(service: StandIn, child: ChildProcess, feed: Array<{ neighbourhood: string; item: NewsItem }>, perTick: number, tickMs: number, expectPushes: boolean) {
	const before = await ask(child);
	const receivedBefore = service.received.length;
	const started = performance.now();
	for (let i = 0; i < feed.length; i += perTick) {
		child.send({ type: 'items', items: feed.slice(i, i + perTick) });
		if (tickMs > 0) await new Promise((r) => setTimeout(r, tickMs));
	}
	if (expectPushes) await until(() => service.received.length - receivedBefore >= feed.length, 60_000);
	else await new Promise((r) => setTimeout(r, 500));
	const elapsed = performance.now() - started;
	const after = await ask(child);
	const reachedAt = new Map(after.reached.map(([id, at]) => [id, at]));
	const topics = new Map(feed.map(({ item }) => [topicOf(item.group), item.id]));
	const latencies: number[] = [];
	for (const push of service.received.slice(receivedBefore)) {
		const id = topics.get(push.topic ?? '');
		const from = id ? reachedAt.get(id) : undefined;
		if (from !== undefined) latencies.push(push.at - from);
	}
	const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
	return { latencies, cpuMs, elapsed, memory: after.memory, pushes: service.received.length - receivedBefore };
}

async function run() {
	console.log(`push benchmark: ${NEIGHBOURHOODS * MEMBERS} devices in ${NEIGHBOURHOODS} neighbourhoods; steady ${RATE}/s for ${SECONDS} s, then a burst of ${NEIGHBOURHOODS * MEMBERS}`);
	console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	const service = await startPushService();
	service.decrypting = false;
	const { data, members } = prepare(service);
	const rows: string[][] = [];
	const results: Record<string, { cpuMs: number; rss: number; heap: number }> = {};
	for (const on of [true, false]) {
		const { child, subscriptions } = await startChild(data, on);
		const label = on ? 'on' : 'off';
		const tickMs = 50;
		const steady = Array.from({ length: RATE * SECONDS }, () => randomItem(members));
		const s = await phase(service, child, steady, Math.max(1, Math.round((RATE * tickMs) / 1000)), tickMs, on);
		// One item for every device at once: each member of each neighbourhood.
		const burst = members.flatMap(({ neighbourhood, granted }) =>
			granted.map((target, i) => {
				const made = randomItem([{ neighbourhood, granted }]);
				return { neighbourhood, item: { ...made.item, for: target.memberId, actor: granted[(i + 1) % granted.length]!.memberId } };
			})
		);
		const b = await phase(service, child, burst, burst.length, 0, on);
		results[label] = { cpuMs: s.cpuMs + b.cpuMs, rss: b.memory.rss, heap: b.memory.heapUsed };
		if (on) {
			rows.push([`steady ${RATE}/s (${s.pushes}/${steady.length} pushes)`, fmt(percentile(s.latencies, 50)), fmt(percentile(s.latencies, 95)), `${Math.round(s.cpuMs)} ms`]);
			rows.push([`burst of ${burst.length} (${b.pushes} pushes)`, fmt(percentile(b.latencies, 50)), fmt(percentile(b.latencies, 95)), `${Math.round(b.cpuMs)} ms`]);
		} else {
			rows.push([`notifications off (same feed, ${subscriptions} subscriptions unused)`, '–', '–', `${Math.round(s.cpuMs + b.cpuMs)} ms`]);
		}
		child.send({ type: 'stop' });
		await new Promise((r) => child.once('exit', r));
	}
	await service.close();
	rmSync(data, { recursive: true, force: true });
	console.log('\n| load | item → push leaves, p50 | p95 | relay CPU |\n|---|---|---|---|');
	for (const row of rows) console.log(`| ${row.join(' | ')} |`);
	const on = results.on!;
	const off = results.off!;
	console.log(`\nextra for notifications: CPU ${Math.round(on.cpuMs - off.cpuMs)} ms for ${RATE * SECONDS + NEIGHBOURHOODS * MEMBERS} pushes (${((on.cpuMs - off.cpuMs) / (RATE * SECONDS + NEIGHBOURHOODS * MEMBERS)).toFixed(2)} ms each); resident memory ${mb(on.rss)} vs ${mb(off.rss)} (${mb(on.rss - off.rss)}), heap ${mb(on.heap)} vs ${mb(off.heap)} (${mb(on.heap - off.heap)})`);
	console.log(`load at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

await run();
