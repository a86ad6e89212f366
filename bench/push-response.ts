// Figure of issue #13, from the start: a neighbour's response stored at the relay to the push
// request leaving it, with 1,000 subscribed devices in 10 neighbourhoods; and what notifications
// (working out the news of every change, and pushing it) cost the relay in CPU and memory, with
// NOABER_NOTIFICATIONS on and off in one run.
//
// The relay runs in a child process (bench/push-response-child.ts) that hosts 10 neighbourhoods
// of 100 members, each with one device subscribed at a stand-in push service on localhost
// (tests/relay/push-service.ts; it checks each VAPID signature and does not decrypt here, to keep
// this process's own load out of the arrival times) and one request of their own on the board.
// A response is made in the relay's own repository: the same change event, news watch, texts,
// schedule and courier as a response arriving from a phone, without the network in between. Each
// response is to another post, so each is one push at once (the child's clock says ten in the
// morning: no quiet hours). Steady: responses spread over time; burst: the rest at once. A push
// is matched to its response by its Topic header (a hash of `help:<postId>`).
//
//   npx tsx bench/push-response.ts [--rate 100] [--seconds 5]
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPushService, type StandIn } from '../tests/relay/push-service.ts';
import { fmt, mb } from './timing.ts';

const argument = (name: string, fallback: number) => {
	const at = process.argv.indexOf(`--${name}`);
	return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RATE = argument('rate', 100);
const SECONDS = argument('seconds', 5);
const NEIGHBOURHOODS = 10;
const MEMBERS = 100;
const STEADY = RATE * SECONDS;
if (STEADY >= NEIGHBOURHOODS * MEMBERS) throw new Error('steady responses must leave posts for the burst');

const topicOf = (group: string) => createHash('sha256').update(group).digest('base64url').slice(0, 32);
const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

interface Stats {
	cpu: NodeJS.CpuUsage;
	memory: NodeJS.MemoryUsage;
	made: Array<[string, number]>;
}

function message<T>(child: ChildProcess, type: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const on = (m: { type: string }) => {
			if (m.type !== type) return;
			child.off('message', on);
			resolve(m as T);
		};
		child.on('message', on);
		child.once('exit', (code) => reject(new Error(`relay child exited with ${code}`)));
	});
}

async function startChild(on: boolean, service: StandIn) {
	const data = mkdtempSync(join(tmpdir(), 'noaber-bench-push-response-'));
	const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/push-response-child.ts'], {
		env: { ...process.env, NOABER_DATA: data, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NOABER_NOTIFICATIONS: on ? 'on' : 'off', NOABER_PUSH_CONTACT: 'bench@example.nl' },
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	process.once('exit', () => child.kill('SIGKILL'));
	await message(child, 'started');
	const subscriptions = Array.from({ length: NEIGHBOURHOODS * MEMBERS }, () => {
		const { id: _id, ...subscription } = service.subscribe();
		return subscription;
	});
	const ready = message(child, 'ready');
	child.send({ type: 'setup', neighbourhoods: NEIGHBOURHOODS, members: MEMBERS, subscriptions });
	await ready;
	return { child, data };
}

async function stats(child: ChildProcess): Promise<Stats> {
	const answer = message<Stats>(child, 'stats');
	child.send({ type: 'stats' });
	return answer;
}

async function until(condition: () => boolean, ms: number) {
	const deadline = Date.now() + ms;
	while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

async function phase(service: StandIn, child: ChildProcess, responses: Array<{ board: number; post: number }>, perTick: number, tickMs: number, on: boolean) {
	const before = await stats(child);
	const receivedBefore = service.received.length;
	for (let i = 0; i < responses.length; i += perTick) {
		child.send({ type: 'respond', responses: responses.slice(i, i + perTick) });
		if (tickMs > 0) await new Promise((r) => setTimeout(r, tickMs));
	}
	if (on) await until(() => service.received.length - receivedBefore >= responses.length, 60_000);
	else await new Promise((r) => setTimeout(r, 1000));
	const after = await stats(child);
	const madeAt = new Map(after.made.map(([post, at]) => [topicOf(`help:${post}`), at]));
	const latencies = service.received.slice(receivedBefore).flatMap((push) => {
		const from = madeAt.get(push.topic ?? '');
		return from === undefined ? [] : [push.at - from];
	});
	const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
	return { latencies, cpuMs, memory: after.memory, pushes: service.received.length - receivedBefore };
}

async function run() {
	console.log(`push benchmark from a stored response: ${NEIGHBOURHOODS * MEMBERS} subscribed devices in ${NEIGHBOURHOODS} neighbourhoods; ${RATE} responses/s for ${SECONDS} s, then the other ${NEIGHBOURHOODS * MEMBERS - STEADY} at once`);
	console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
	const service = await startPushService();
	service.decrypting = false;
	const all = Array.from({ length: NEIGHBOURHOODS * MEMBERS }, (_, i) => ({ board: i % NEIGHBOURHOODS, post: Math.floor(i / NEIGHBOURHOODS) }));
	const steady = all.slice(0, STEADY);
	const burst = all.slice(STEADY);
	const rows: string[][] = [];
	const totals: Record<string, { cpuMs: number; rss: number; heap: number }> = {};
	for (const on of [true, false]) {
		const { child, data } = await startChild(on, service);
		const tickMs = 50;
		const s = await phase(service, child, steady, Math.max(1, Math.round((RATE * tickMs) / 1000)), tickMs, on);
		const b = await phase(service, child, burst, burst.length, 0, on);
		totals[on ? 'on' : 'off'] = { cpuMs: s.cpuMs + b.cpuMs, rss: b.memory.rss, heap: b.memory.heapUsed };
		if (on) {
			rows.push([`steady ${RATE}/s (${s.pushes}/${steady.length} pushes)`, fmt(percentile(s.latencies, 50)), fmt(percentile(s.latencies, 95)), `${Math.round(s.cpuMs)} ms`]);
			rows.push([`burst of ${burst.length} (${b.pushes} pushes)`, fmt(percentile(b.latencies, 50)), fmt(percentile(b.latencies, 95)), `${Math.round(b.cpuMs)} ms`]);
		} else {
			rows.push([`notifications off (same responses, ${s.pushes + b.pushes} pushes)`, '–', '–', `${Math.round(s.cpuMs + b.cpuMs)} ms`]);
		}
		child.send({ type: 'stop' });
		await new Promise((r) => child.once('exit', r));
		rmSync(data, { recursive: true, force: true });
	}
	await service.close();
	console.log('\n| load | response stored → push leaves, p50 | p95 | relay CPU |\n|---|---|---|---|');
	for (const row of rows) console.log(`| ${row.join(' | ')} |`);
	const on = totals.on!;
	const off = totals.off!;
	const n = NEIGHBOURHOODS * MEMBERS;
	console.log(`\nextra for notifications: CPU ${Math.round(on.cpuMs - off.cpuMs)} ms for ${n} responses (${((on.cpuMs - off.cpuMs) / n).toFixed(2)} ms each); resident memory ${mb(on.rss)} vs ${mb(off.rss)} (${mb(on.rss - off.rss)}), heap ${mb(on.heap)} vs ${mb(off.heap)} (${mb(on.heap - off.heap)})`);
	console.log(`load at end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

await run();
