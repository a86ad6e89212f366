// The relay under hostile input (issue #10): for each input, against a fresh relay from each
// checkout, the longest time /healthz went unanswered (goal < 1 s), the relay's peak memory (goal
// < 300 MB), whether it died, and figures of the case itself.
// Run: npx tsx bench/hostile.ts --relay before=/tmp/hostile-base --relay after=. [--only <case>]
//   [--cap 90] (npm run bench:hostile -- …). Cases: heads-only, deep-10k, deep-root, bomb, writer,
//   churn, presence, many-docs, many-docs-3000. --cap: seconds a case may run once measuring
//   started (its setup may take as long again); then the relay is killed and reported as "cut
//   off". Each case gets a fresh relay and data folder. Everything talks to 127.0.0.1 only.
// A before checkout: git worktree add --detach /tmp/hostile-base <commit>, link node_modules into
// it, and run npm run i18n and node relay/build.mjs there: each relay runs compiled, as a production
// install runs it, and the compiled texts are not kept in git.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CASES, type CaseContext, type HostileCase } from './hostile-cases.ts';
import { stopClients, type RawPeer } from './hostile-peer.ts';
import { startRelay, watch, type Watch, type Watched } from './hostile-relay.ts';
import { reporter } from './timing.ts';

const { values } = parseArgs({
	options: {
		relay: { type: 'string', multiple: true },
		only: { type: 'string', multiple: true },
		cap: { type: 'string', default: '90' }
	}
});

const relays = (values.relay ?? ['this=.']).map((given) => {
	const at = given.indexOf('=');
	const [name, dir] = at > 0 ? [given.slice(0, at), given.slice(at + 1)] : [given, given];
	if (!existsSync(join(resolve(dir), 'bin/noaber.js'))) throw new Error(`${dir} is not a Noaber checkout (no bin/noaber.js)`);
	if (!existsSync(join(resolve(dir), 'relay-build/cli.js'))) throw new Error(`${dir} has no compiled relay: run node relay/build.mjs there`);
	return { name, dir };
});
const capMs = Number(values.cap) * 1000;
const cases = values.only ? CASES.filter((c) => values.only!.includes(c.name)) : CASES;
if (cases.length === 0) throw new Error(`no such case; choose from ${CASES.map((c) => c.name).join(', ')}`);

// The stock Node client throws from a socket callback when the relay resets or dies under it; that
// is the relay's failure being measured, not a reason to stop measuring the others.
const stray: string[] = [];
process.on('uncaughtException', (error) => stray.push(error.message));
process.on('unhandledRejection', (error) => stray.push(String((error as Error)?.message ?? error)));

interface Outcome {
	relay: string;
	case: HostileCase;
	watched?: Watched;
	died: string;
	cutOff: boolean;
	error?: string;
}

const results = reporter();
const outcomes: Outcome[] = [];
const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);
const capText = `${capMs / 1000} s`;
const silenceText = ({ watched, cutOff }: Outcome) => {
	if (!watched) return 'n/a';
	return cutOff && watched.longestSilenceMs >= capMs - 5000 ? `> ${capText}` : `${watched.longestSilenceMs} ms`;
};
const diedText = ({ died, cutOff }: Outcome) => (cutOff && died === 'no' ? `no, cut off at ${capText} (killed)` : died);

async function runCase(relayName: string, dir: string, hostile: HostileCase): Promise<Outcome> {
	await hostile.prepare?.();
	const relay = await startRelay(dir, hostile.env);
	const started = Date.now();
	let measuredAt: number | undefined;
	let watcher: Watch | undefined;
	const clients: CaseContext['clients'] = [];
	const peers: RawPeer[] = [];
	const ctx: CaseContext = {
		relay,
		report: (what, value) => results.report(`${relayName} · ${hostile.name} · ${what}`, value),
		measure: () => {
			measuredAt ??= Date.now();
			watcher ??= watch(relay);
		},
		rss: () => watcher?.rss(),
		// Setup gets the cap, and the measured part gets it again from its start.
		left: () => capMs - (Date.now() - (measuredAt ?? started)),
		clients,
		peers
	};
	let cutOff = false;
	let error: string | undefined;
	let timer: NodeJS.Timeout | undefined;
	const cap = new Promise<void>((done) => {
		timer = setInterval(() => {
			if (ctx.left() > 0) return;
			cutOff = true;
			done();
		}, 100);
	});
	try {
		await Promise.race([hostile.run(ctx), relay.exited, cap]);
	} catch (caught) {
		error = (caught as Error).message;
	} finally {
		clearInterval(timer);
	}
	// A case that stopped early (the relay died) may still not have started measuring.
	watcher ??= watch(relay);
	const watched = await watcher.stop();
	for (const peer of peers) peer.close();
	await stopClients(clients);
	const exit = relay.exit;
	if (cutOff && !exit) relay.child.kill('SIGKILL');
	const died = exit ? `yes (exit ${exit.code ?? exit.signal} after ${(exit.at / 1000).toFixed(1)} s)` : 'no';
	if (exit) {
		const reason = relay.output().split('\n').find((line) => /Error|panic|terminated/i.test(line));
		if (reason) ctx.report('last words', reason.trim().slice(0, 160));
	}
	await relay.stop();
	return { relay: relayName, case: hostile, watched, died, cutOff, error };
}

for (const { name, dir } of relays) {
	console.log(`\n=== relay "${name}" from ${resolve(dir)}`);
	for (const hostile of cases) {
		console.log(`\n${name} · ${hostile.name}: ${hostile.title}`);
		const started = Date.now();
		// A relay that does not start is a figure too; the other cases and relays still run.
		const outcome = await runCase(name, dir, hostile).catch(
			(error: Error): Outcome => ({ relay: name, case: hostile, died: 'did not start', cutOff: false, error: error.message.split('\n')[0] })
		);
		outcomes.push(outcome);
		const key = `${name} · ${hostile.name}`;
		results.report(`${key} · longest /healthz silence`, silenceText(outcome));
		results.report(`${key} · peak RSS`, mb(outcome.watched?.peakRssBytes));
		results.report(`${key} · relay died`, diedText(outcome));
		if (outcome.error) results.report(`${key} · case stopped`, outcome.error);
		console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	}
}

results.table();
console.log('\n| case | relay | longest /healthz silence | peak RSS | died |\n|---|---|---|---|---|');
for (const o of outcomes) {
	console.log(`| ${o.case.name} | ${o.relay} | ${silenceText(o)} | ${mb(o.watched?.peakRssBytes)} | ${diedText(o)} |`);
}
if (stray.length) console.log(`\n(${stray.length} errors thrown by clients while relays failed, first: ${stray[0]})`);
process.exit(0);
