// Issue #10, "durable before shared": 20 rounds of kill -9 of a relay while two clients write to
// one document (a new one each round); counts the entries one client had received from the other through the relay
// (acknowledged) that the relay no longer had after its restart (lost).
//   npx tsx bench/crash-loss.ts [relay checkout …]     (default: this checkout)
// Several checkouts run one after the other, e.g. the base commit and this one:
//   git worktree add --detach /tmp/noaber-base c0c255d && (cd /tmp/noaber-base && npm ci)
//   npx tsx bench/crash-loss.ts /tmp/noaber-base .
// The clients always come from this checkout; only the relay changes.
import { resolve } from 'node:path';
import { runCrashRounds } from '../tests/relay/crash-rounds.ts';

const checkouts = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['.'];
// ROUNDS, EVERY_MS (how often each client writes) and CROSSED (entries received before a kill may
// come) change the experiment; the defaults are the test's.
const rounds = Number(process.env.ROUNDS ?? 20);
const everyMs = Number(process.env.EVERY_MS ?? 10);
const crossed = Number(process.env.CROSSED ?? 3);
const results: string[] = [];
for (const checkout of checkouts.map((c) => resolve(c))) {
	console.log(`relay of ${checkout}: ${rounds} rounds, an entry every ${everyMs} ms per client`);
	const started = Date.now();
	const result = await runCrashRounds({ checkout, rounds, everyMs, crossed, writeMs: [0, 250], progress: (line) => console.log(`  ${line}`) });
	const share = result.acknowledged === 0 ? 0 : (100 * result.lost) / result.acknowledged;
	const line = `${checkout}: lost ${result.lost} of ${result.acknowledged} acknowledged entries (${share.toFixed(1)} %) in ${result.rounds} kill -9 rounds, ${Math.round((Date.now() - started) / 1000)} s`;
	if (result.examples.length > 0) console.log(`  lost, for example: ${result.examples.join(', ')}`);
	console.log(line);
	results.push(line);
}
console.log('\n' + results.join('\n'));
process.exit(0);
