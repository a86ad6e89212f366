// Figures of issue #17, in one run: Noaber's relay (with the modules' rules) beside the stock
// automerge-repo relay (bench/stock-relay.ts: same package versions, their defaults). For each, the
// fan-out from one writer's honest change on the ten-year board's latest quarter to N readers
// (p50/p95, the relays taking turns sample by sample), and the relay process's memory per idle
// connection: its memory with every reader connected and quiet, less with the writer alone (the
// document loaded), divided by the number of readers, each read after a full collection. Each
// relay and each relay's readers run in a process of their own (through tsx, both alike); the
// writers run here. Memory is shown twice: as the process counts it, and without the code the
// engine compiled meanwhile (once, as the first connections ran a path; it does not grow with them).
// And once more from the first 20 readers to all of them: what each further connection costs,
// without what the first ones set up once (bytecode of paths run for the first time is not counted
// as compiled code; tables made for the first member).
// `--relay label=<checkout>` adds Noaber's relay of another checkout (with its node_modules and
// texts in place), as often as wanted, to measure a change before and after in one run.
//
// With --warm, as many other members' readers first connect once and leave, on every relay alike
// (bench/referee-fanout.ts, `rehearsal`): memory is then that of a relay whose paths are hot.
//
//   npx tsx bench/stock-fanout.ts [--readers 200] [--samples 30] [--warmup 4] [--seed 20261128] [--cache <folder>] [--relay before=/path/to/checkout] [--warm]
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { doorAt } from '../tests/relay/door.ts';
import { fanoutPeople, FIRST_READERS, measureSides, type FanoutRelay } from './referee-fanout.ts';
import { seedReferee } from './referee-seed.ts';
import { percentile } from './round-trip.ts';
import { count, labelled, option } from './arguments.ts';
import { fmt } from './timing.ts';

const readers = count('readers', 200);
const samples = count('samples', 30);
const warmup = count('warmup', 4);
const seedNumber = count('seed', 20261128);
const cache = option('cache') ?? join(tmpdir(), 'noaber-bench-referee');
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const show = (ms: number) => (Number.isFinite(ms) ? fmt(ms) : 'lost');
const perConnection = (before: number, after: number, connections = readers) => `${(Math.round(((after - before) / connections / 1024) * 10) / 10).toFixed(1)} KB`;
const further = readers - Math.min(FIRST_READERS, Math.floor(readers / 2));

console.log(`Load average at start: ${load()} (${cpus().length} CPUs)`);
const work = mkdtempSync(join(tmpdir(), 'noaber-bench-stock-'));
try {
	const seed = await seedReferee(join(work, 'seed'), seedNumber, cache);
	const noaberData = join(work, 'noaber-members');
	cpSync(seed.data, noaberData, { recursive: true });
	const people = fanoutPeople(seed, noaberData, readers, work, process.argv.includes('--warm') ? readers : 0);
	const stockData = join(work, 'stock');
	mkdirSync(stockData);
	const noaber = (name: string, relayScript: string): FanoutRelay => {
		const data = join(work, name);
		cpSync(noaberData, data, { recursive: true });
		return { name, script: relayScript, args: [data, 'real'], door: (port, credential) => doorAt(port, credential) };
	};
	const relays: FanoutRelay[] = [
		...labelled('relay').map(({ label, value }) => noaber(label, join(resolve(value), 'bench', 'referee-relay.ts'))),
		noaber('noaber', script('./referee-relay.ts')),
		// The stock relay knows no members: its devices show no key.
		{ name: 'stock', script: script('./stock-relay.ts'), args: [stockData, seed.quarter.url, people.bytesFile], door: (port) => doorAt(port) }
	];
	console.log(`Fan-out to ${readers} readers through Noaber's relay and the stock relay…`);
	const figures = await measureSides(relays, seed, people, { samples, warmup, seed: seedNumber, progress: (line) => console.log(`  ${line}`) });
	console.log(`\nLoad average at end: ${load()}\n`);
	console.log(
		`| relay | samples | fan-out p50 | fan-out p95 | RSS before readers / with them | per idle connection: RSS | per idle connection: heap + outside it | the same, without compiled code | each of the last ${further}: heap + outside it | the same, without compiled code |\n|---|---|---|---|---|---|---|---|---|---|`
	);
	const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
	for (const relay of relays) {
		const { times, before, firstReaders, withReaders } = figures[relay.name];
		const held = (m: typeof before) => m.heapUsed + m.external;
		const kept = (m: typeof before) => held(m) - m.code;
		console.log(
			`| ${relay.name} | ${times.length} | ${show(percentile(times, 0.5))} | ${show(percentile(times, 0.95))} | ${mb(before.rss)} / ${mb(withReaders.rss)} | ${perConnection(before.rss, withReaders.rss)} | ${perConnection(held(before), held(withReaders))} | ${perConnection(kept(before), kept(withReaders))} | ${perConnection(held(firstReaders), held(withReaders), further)} | ${perConnection(kept(firstReaders), kept(withReaders), further)} |`
		);
	}
	const paired = figures.noaber.times.map((ms, i) => ms / figures.stock.times[i]).filter(Number.isFinite);
	console.log(`Median of sample-by-sample ratios (Noaber / stock): ${paired.length ? percentile(paired, 0.5).toFixed(2) : '—'}`);
	const ratio = percentile(figures.noaber.times, 0.95) / percentile(figures.stock.times, 0.95);
	console.log(`\nFan-out p95, Noaber / stock: ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'lost changes'} (issue #17 asks at most 1.0)`);
} finally {
	rmSync(work, { recursive: true, force: true });
}
// Stock websocket clients keep timers; the figures are printed.
process.exit(0);
