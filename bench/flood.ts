// An honest member's sync round trip while another member floods the neighbourhood with presence
// from 50 connections, each just under the old per-connection limit; also how much presence reaches
// the honest device, whether the flooding connections were closed, the longest /healthz answer and
// the relay's peak memory. Runs against one or more relay checkouts, each started as its own process:
//   npx tsx bench/flood.ts [checkout …] [--connections 50] [--rate 190] [--samples 20]
// e.g. `git worktree add /tmp/base c0c255d && (cd /tmp/base && npm ci)`, then
//   npx tsx bench/flood.ts /tmp/base .
import '@automerge/automerge';
import { Repo, type AutomergeUrl, type DocHandle } from '@automerge/automerge-repo/slim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { startPresenceFlood } from './presence-flood.ts';
import { createWithCli, startRelayChild } from './relay-child.ts';
import { doorAdapter } from '../tests/relay/door.ts';
import { percentile, roundTrips } from './round-trip.ts';
import { fmt, mb } from './timing.ts';

/** A change that takes longer than this is counted as lost. */
const TIMEOUT_MS = 10_000;
const show = (ms: number): string => (Number.isFinite(ms) ? fmt(ms) : `> ${TIMEOUT_MS / 1000} s`);

interface Figures {
	checkout: string;
	quiet: number[];
	flooded: number[];
	presencePerSecond: number;
	floodersClosed: Record<string, number>;
	slowestHealthz: number;
	peakMemory: number | undefined;
}

function option(name: string, fallback: number): number {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function measure(checkout: string, connections: number, rate: number, samples: number): Promise<Figures> {
	const data = mkdtempSync(join(tmpdir(), 'noaber-flood-'));
	const relay = await startRelayChild({ checkout, data, logLevel: 'warn' });
	const repos: Repo[] = [];
	try {
		const hosted = await createWithCli({ checkout, data, name: 'Floodbuurt', port: relay.port });
		const device = () => {
			const repo = new Repo({ network: [doorAdapter(relay.door(hosted.key), 100)] });
			repos.push(repo);
			return repo.find<RootDoc>(hosted.root as AutomergeUrl);
		};
		const anna: DocHandle<RootDoc> = await device();
		const bert: DocHandle<RootDoc> = await device();
		let presence = 0;
		bert.on('ephemeral-message', () => void (presence += 1));

		const quiet = await roundTrips(anna, bert, samples);
		const flood = await startPresenceFlood({
			door: relay.door(hosted.key),
			documentId: hosted.root.replace('automerge:', ''),
			connections,
			perSecond: rate
		});
		let slowestHealthz = 0;
		let polling = true;
		const poller = (async () => {
			while (polling) {
				const start = performance.now();
				// A relay that does not answer in time counts as silent for that long.
				await fetch(`${relay.url}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
					.then((r) => r.text())
					.catch(() => undefined);
				slowestHealthz = Math.max(slowestHealthz, performance.now() - start);
				await new Promise((r) => setTimeout(r, 100));
			}
		})();
		// Let the flood reach its pace before measuring.
		await new Promise((r) => setTimeout(r, 2000));
		presence = 0;
		const start = performance.now();
		console.log('  flooding; measuring round trips');
		const flooded = await roundTrips(anna, bert, samples, TIMEOUT_MS);
		const presencePerSecond = presence / ((performance.now() - start) / 1000);
		polling = false;
		await poller;
		const status = await flood.stop();
		console.log('  flood stopped');
		return { checkout, quiet, flooded, presencePerSecond, floodersClosed: status.closed, slowestHealthz, peakMemory: relay.peakMemory() };
	} finally {
		await Promise.allSettled(repos.map((r) => r.shutdown()));
		await relay.stop();
		rmSync(data, { recursive: true, force: true });
	}
}

const checkouts = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const connections = option('connections', 50);
const rate = option('rate', 190);
const samples = option('samples', 20);
const results: Figures[] = [];
for (const checkout of checkouts.length ? checkouts : ['.']) {
	console.log(`${resolve(checkout)}: ${connections} connections × ${rate} presence messages/s, ${samples} round trips each`);
	const figures = await measure(checkout, connections, rate, samples);
	results.push(figures);
	console.log(
		`  quiet p50 ${show(percentile(figures.quiet, 0.5))}, p95 ${show(percentile(figures.quiet, 0.95))}; flooded p50 ${show(percentile(figures.flooded, 0.5))}, p95 ${show(percentile(figures.flooded, 0.95))}`
	);
}
console.log(`\n| checkout | quiet p50 / p95 | flooded p50 / p95 | presence to an honest device | flooders closed | slowest /healthz | relay peak memory |`);
console.log('|---|---|---|---|---|---|---|');
for (const f of results) {
	const closed = Object.entries(f.floodersClosed).map(([code, n]) => `${n} × ${code}`).join(', ') || 'none';
	console.log(
		`| ${f.checkout} | ${show(percentile(f.quiet, 0.5))} / ${show(percentile(f.quiet, 0.95))} | ${show(percentile(f.flooded, 0.5))} / ${show(percentile(f.flooded, 0.95))} | ${Math.round(f.presencePerSecond)}/s | ${closed} | ${fmt(f.slowestHealthz)} | ${f.peakMemory ? mb(f.peakMemory, 0) : '?'} |`
	);
}
// The stock websocket client keeps timers; the figures are printed.
process.exit(0);
