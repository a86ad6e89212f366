// Figures of issue #12, in one run: what checking every incoming change costs the relay, per change
// (p50/p95), on the ten-year help board and agenda; and fan-out latency from one writer to 100
// readers through a real relay with checking off and on. The issue allows checking at most +20 % on
// the p95 of fan-out.
//
//   npm run bench:referee -- [--rules real|fixture] [--changes 200] [--warmup 30] [--readers 100]
//                            [--samples 30] [--seed 20261128] [--cache <folder>] [--only judge|fanout]
//
// --rules real (the default) judges with the modules' own rules, src/lib/rules/documents.ts;
// --rules fixture with bench/referee-fixture.ts, a stand-in that reads as much per edit.
// --changes is the number of timed changes per board (after --warmup untimed ones); --samples the
// number of timed changes per relay (after a few to warm up). The board's latest quarter and the
// agenda's current year are generated once and kept in --cache (default: <tmp>/noaber-bench-referee).
//
// Judging time is given as the wall time of the relay's one call, and as the least of three calls
// judging the same change: on a machine busy with other work the first one's tail is mostly waiting
// for a core, which the least of three leaves out.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureJudging, type BoardCost } from './referee-cost.ts';
import { measureFanout } from './referee-fanout.ts';
import { loadRules, rulesChoice } from './referee-rules.ts';
import { seedReferee } from './referee-seed.ts';
import { percentile } from './round-trip.ts';
import { count, option } from './arguments.ts';
import { fmt } from './timing.ts';

const choice = rulesChoice(option('rules'));
const changes = count('changes', 200);
const warmup = count('warmup', 30);
const readers = count('readers', 100);
const samples = count('samples', 30);
const seedNumber = count('seed', 20261128);
const cache = option('cache') ?? join(tmpdir(), 'noaber-bench-referee');
const only = option('only');
if (only !== undefined && only !== 'judge' && only !== 'fanout') throw new Error(`--only is "judge" or "fanout", not "${only}"`);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const started = performance.now();
const { rules, name } = await loadRules(choice);
console.log(`Rules: ${name}. Load average at start: ${load()} (${cpus().length} CPUs)`);

const work = mkdtempSync(join(tmpdir(), 'noaber-bench-referee-'));
const rows: string[][] = [];
const show = (ms: number) => (Number.isFinite(ms) ? fmt(ms) : 'lost');
try {
	const seed = await seedReferee(join(work, 'seed'), seedNumber, cache);
	const costData = join(work, 'cost');
	cpSync(seed.data, costData, { recursive: true });

	if (only !== 'fanout') console.log(`Judging ${changes} honest changes per board (after ${warmup} to warm up)…`);
	const costs: BoardCost[] = only === 'fanout' ? [] : measureJudging(seed, costData, rules, { warmup, count: changes, seed: seedNumber });
	for (const cost of costs) {
		const groups = new Map<string, BoardCost['judged']>([['all changes', cost.judged]]);
		for (const judged of cost.judged) groups.set(judged.kind, [...(groups.get(judged.kind) ?? []), judged]);
		for (const [kind, judged] of groups) {
			const wall = judged.map((j) => j.ms);
			const least = judged.map((j) => j.leastMs);
			rows.push([`judge, ${cost.board}: ${kind}`, String(judged.length), fmt(percentile(wall, 0.5)), fmt(percentile(wall, 0.95)), `${fmt(percentile(least, 0.5))} / ${fmt(percentile(least, 0.95))}`]);
		}
		for (const [what, n] of cost.refused) console.log(`  REFUSED (an honest change!) ${n} × ${what}`);
	}
	for (const row of rows) console.log(`  ${row[0]}: p50 ${row[2]}, p95 ${row[3]} (least of 3: ${row[4]})`);

	if (only !== 'judge') console.log(`Fan-out to ${readers} readers, checking off and on…`);
	const fanout = only === 'judge' ? { readers, off: [], on: [], refusals: [] } : await measureFanout(seed, { readers, samples, warmup: 4, checking: choice, seed: seedNumber, progress: (line) => console.log(`  ${line}`) });
	for (const [label, times] of only === 'judge' ? [] : ([
		['off', fanout.off],
		['on', fanout.on]
	] as const)) {
		rows.push([`fan-out to ${readers} readers, checking ${label}`, String(times.length), show(percentile(times, 0.5)), show(percentile(times, 0.95)), '']);
	}
	for (const refusal of fanout.refusals) console.log(`  REFUSED by the relay with rules (an honest change!): ${refusal}`);

	console.log(`\nLoad average at end: ${load()}; ${Math.round((performance.now() - started) / 1000)} s in all\n`);
	console.log('| measure | n | p50 (wall) | p95 (wall) | p50 / p95 (least of 3) |\n|---|---|---|---|---|');
	for (const row of rows) console.log(`| ${row.join(' | ')} |`);
	const ratio = percentile(fanout.on, 0.95) / percentile(fanout.off, 0.95);
	const paired = fanout.on.map((ms, i) => ms - fanout.off[i]).filter(Number.isFinite);
	if (only !== 'judge') console.log(
		`\nFan-out p95 with checking on / off: ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'lost changes'} (issue #12 allows at most 1.20); ` +
			`median of sample-by-sample differences (on − off): ${paired.length ? fmt(percentile(paired, 0.5)) : '—'}`
	);
} finally {
	rmSync(work, { recursive: true, force: true });
}
// Stock websocket clients keep timers; the figures are printed.
process.exit(0);
