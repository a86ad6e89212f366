// Builds of the app measured side by side (bench/member-device.ts, bench/help-phone.ts): each served
// by a relay of this checkout with the same neighbourhood, taking turns run by run, so that what the
// machine does meanwhile falls on both alike; and the medians of each as a table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invitation, type Hosted } from '../relay/create.ts';
import { startRelay } from '../relay/main.ts';
import { option } from './arguments.ts';
import { builtApps } from './browser.ts';
import { median } from './timing.ts';

export interface Side<S extends Hosted> {
	name: string;
	origin: string;
	seeded: S;
	/** An invitation for anyone, as a resident gets it from a flyer. */
	invite(): string;
	/** With --trace, where the first counted run (0) of this build writes its trace. */
	traceTo(run: number): string | undefined;
}

/** A relay per build (--app), each seeded alike into a folder of its own; `close` stops them and removes the folders. */
export async function startSides<S extends Hosted>(seed: (folder: string, origin: string) => Promise<S>): Promise<{ sides: Side<S>[]; close: () => Promise<void> }> {
	const builds = builtApps();
	const folders = builds.map(() => mkdtempSync(join(tmpdir(), 'noaber-bench-side-')));
	const relays = await Promise.all(
		builds.map((build, i) => startRelay({ port: 0, host: '127.0.0.1', data: folders[i]!, publicUrl: undefined, app: build.dir, logLevel: 'warn', maxPayload: 64 * 1024 * 1024 }))
	);
	const trace = option('trace');
	const sides = await Promise.all(
		relays.map(async (relay, i): Promise<Side<S>> => {
			const origin = `http://localhost:${relay.port}`;
			relay.registry.reload();
			const seeded = await seed(folders[i]!, origin);
			relay.registry.reload();
			const record = { id: seeded.id, root: seeded.root };
			const name = builds[i]!.name;
			return {
				name,
				origin,
				seeded,
				invite: () => invitation(relay.access, record, origin).invite,
				traceTo: (run) => (run === 0 && trace ? (builds.length > 1 ? trace.replace(/(\.json)?$/, `-${name}.json`) : trace) : undefined)
			};
		})
	);
	return {
		sides,
		close: async () => {
			await Promise.all(relays.map((relay) => relay.close()));
			for (const folder of folders) rmSync(folder, { recursive: true, force: true });
		}
	};
}

/** A run's figures as one line, each to the whole millisecond. */
const inWholeMs = (figures: unknown): string => JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v));

/**
 * `runs` runs of each side after one not counted, the sides taking turns, and the turn going round: each side goes first
 * as often as the others. One build measured against itself, always in the same order, came out
 * slower the second time (bench/help-phone.ts, 5 runs: join 1,209 → 1,307 ms, blocking time 105 →
 * 127 ms, medians), as if the first one's browser and relay were still busy. Each run printed as it ends.
 */
export async function inTurns<S extends Hosted, R>(sides: Side<S>[], runs: number, measure: (side: Side<S>, run: number) => Promise<R>): Promise<R[][]> {
	const results = sides.map(() => [] as R[]);
	// One run of each side first, not counted (run -1: not traced): the first join reads every
	// document from the relay's disk into its memory. The relay runs on this machine beside the
	// phone, and so the first run was another measurement than the rest: bench/member-device.ts,
	// the relay's process busy 13.2 s of that load's 23.3 s and longest task 269 ms; the next run
	// 0.9 s of 11.6 s and 85 ms. A neighbourhood's relay in use has its documents in memory, and runs
	// on another machine than a resident's phone.
	for (const side of sides) {
		const measured = await measure(side, -1);
		console.log(`  not counted, ${side.name}: ${inWholeMs(measured)}`);
	}
	for (let run = 0; run < runs; run++) {
		for (let turn = 0; turn < sides.length; turn++) {
			const i = (turn + run) % sides.length;
			const side = sides[i]!;
			const measured = await measure(side, run);
			results[i]!.push(measured);
			console.log(`  run ${run + 1} ${side.name}: ${inWholeMs(measured)}`);
		}
	}
	return results;
}

/** The medians of each side, a row per measure: label, key, goal. */
export function printMedians<R>(sides: { name: string }[], results: R[][], rows: [string, { [K in keyof R]: R[K] extends number ? K : never }[keyof R], string][]): void {
	console.log(`\n| measure | ${sides.map((s) => s.name).join(' | ')} | goal |`);
	console.log(`|---|${sides.map(() => '---|').join('')}---|`);
	for (const [label, key, goal] of rows) {
		console.log(`| ${label} | ${results.map((r) => `${Math.round(median(r.map((x) => x[key] as number)))} ms`).join(' | ')} | ${goal} |`);
	}
}
