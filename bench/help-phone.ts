// Figures of issue #17 for the help board on a member's device: the cheap phone (bench/phone.ts: CPU
// 4× slower, Slow 4G) joins a neighbourhood with ten years of help (bench/generate-help.ts: 20,000
// posts and 50,000 responses in 40 quarters, those long closed archived per year as devices do),
// taps "Hulp" at once, and later opens the board offline.
//   npm run build && npx tsx bench/help-phone.ts [--runs 1] [--scale 1] [--seed n] [--data <board>]
//     [--app before=<build> --app after=build] [--frames] [--typing-ms 4000] [--trace /tmp/board.json]
// What each run measures, in a fresh browser context, times from the page's own clock:
//   join → home usable: the tap on "Klaar" → the home screen shows (as bench/member-device.ts).
//   home → first posts shown: the resident taps "Hulp" at once; until the first post shows.
//   longest main-thread task while older quarters load: from the home screen until the board no
//     longer says it is opening or that older posts are still loading. Also without the tap's own
//     tasks (finger down → the board answers, with posts or with "Het prikbord wordt geopend…").
//   a tap during that load: the longest interaction (input to the next paint) in that time.
//   home → every quarter loaded: until the board no longer says older posts are loading.
//   open offline → first posts visible: the browser closed and started again on the same profile,
//     the network off, a tab opens /hulp; until the first post shows.
// With --trace, each build's first run records a performance trace from the tap on "Klaar" until the
// board is loaded (<file>, or <file>-<build>.json with several builds), for bench/long-tasks.ts; the
// sampler slows the page, so that run's figures are not comparable with the others.
// The board is generated around today (or loaded with --data from bench/make-board.ts, around the
// day it was made). Builds given with --app take turns run by run, each served by this checkout's
// relay with the same board.
import '@automerge/automerge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invitation } from '../relay/create.ts';
import { startRelay } from '../relay/main.ts';
import { count, option } from './arguments.ts';
import { builtApps, whenHeldLocally } from './browser.ts';
import { BENCH_NOW, benchArgs, type Generated } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';
import { loadGenerated } from './help-files.ts';
import { recordTrace } from './page-trace.ts';
import { blockingTime, firstFrame, frames, HOME, longest, longestApart, offlineOpen, phoneBrowser, printFrames, readyToJoin, seenIn, shown, slowTab, untilNoneSays } from './phone-page.ts';
import { seedRelay } from './seed-relay.ts';
import { median } from './timing.ts';

const runs = count('runs', 1);
const typingMs = Number(option('typing-ms') ?? 0);
const { seed, scale, workers, data: saved } = benchArgs();
const POST = 'article.post';
const OPENING = 'Het prikbord wordt geopend';
const OLDER = 'Oudere berichten worden nog geladen';
// "Oudere berichten…" is a plain line under the count, not a status line.
const LINES = '[role="status"], p.muted';

interface Run {
	join: number;
	postsShown: number;
	longTask: number;
	/** The same, leaving out the tasks from the tap until the board answers. */
	loadTask: number;
	tap: number;
	blocking: number;
	allLoaded: number;
	offlineBoard: number;
}

async function measure(origin: string, invite: string, documents: number, traceTo?: string): Promise<Run> {
	const profile = mkdtempSync(join(tmpdir(), 'noaber-bench-help-phone-'));
	const context = await phoneBrowser(profile, false);
	try {
		const page = await slowTab(context, true);
		await readyToJoin(page, invite, typingMs);
		const trace = traceTo ? await recordTrace(context, page) : undefined;
		await page.getByRole('button', { name: 'Klaar', exact: true }).click();
		const home = await shown(page, 'h2', HOME);
		const submit = (await seenIn(page)).submit!;
		// Straight away, while older quarters are still coming: the resident opens the board.
		await page.locator('nav a[href="/hulp"]').first().click();
		const answered = await firstFrame(page, [POST], undefined, OPENING);
		const postsShown = await shown(page, POST);
		await untilNoneSays(page, POST, [OPENING, OLDER], LINES);
		const loaded = await page.evaluate(() => performance.now());
		const during = await seenIn(page);
		const down = during.downs.find((at) => at >= home) ?? postsShown;
		if (frames) printFrames(during.frames, { home, tap: down, shown: postsShown, loaded }, during.long);
		await trace?.save(traceTo!, { klaar: submit, home, tap: down, postsShown, loaded });
		const run = {
			join: home - submit,
			postsShown: postsShown - home,
			longTask: longest(during.long, home, loaded),
			loadTask: longestApart(during.long, home, loaded, [down, answered]),
			tap: longest(during.taps, home, loaded),
			blocking: blockingTime(during.long, home, loaded),
			allLoaded: loaded - home
		};
		await whenHeldLocally(page, documents);
		await context.close();
		const offlineBoard = await offlineOpen(profile, `${origin}/hulp`, POST);
		return { ...run, offlineBoard };
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

const sides = builtApps();
let now = new Date();
let generated: Generated;
if (saved) {
	generated = loadGenerated(saved);
	now = BENCH_NOW;
} else {
	console.log(`Generating ${scale.posts} posts and ${scale.responses} responses in ${scale.periods} quarters (seed ${seed})…`);
	generated = await generateParallel(seed, scale, workers, now);
}
const folders = sides.map(() => mkdtempSync(join(tmpdir(), 'noaber-bench-help-phone-')));
const relays = await Promise.all(
	sides.map((side, i) => startRelay({ port: 0, host: '127.0.0.1', data: folders[i], publicUrl: undefined, app: side.dir, logLevel: 'warn', maxPayload: 64 * 1024 * 1024 }))
);
const hosted = await Promise.all(
	relays.map(async (relay, i) => {
		const origin = `http://localhost:${relay.port}`;
		relay.registry.reload();
		const seeded = await seedRelay(folders[i], origin, generated, now);
		relay.registry.reload();
		// The root, the members, the map, the live quarters and the archives.
		const documents = 3 + seeded.bytes.length - seeded.sealed + seeded.archiveBytes.length;
		return { origin, record: { id: seeded.id, root: seeded.root }, documents, seeded };
	})
);
const first = hosted[0]!.seeded;
console.log(
	`${generated.counts.posts} posts and ${generated.counts.responses} responses; ${first.bytes.length - first.sealed} live quarters and ` +
		`${first.archiveBytes.length} yearly archives (${first.archivedPosts} posts); ${runs} run(s) per build, CPU 4× slower, Slow 4G while joining.\n`
);

try {
	const results = sides.map(() => [] as Run[]);
	for (let run = 0; run < runs; run++) {
		for (const [i, side] of sides.entries()) {
			const { origin, record, documents } = hosted[i]!;
			const { invite } = invitation(relays[i]!.access, record, origin);
			const traceTo = run === 0 && option('trace') ? (sides.length > 1 ? option('trace')!.replace(/(\.json)?$/, `-${side.name}.json`) : option('trace')) : undefined;
			const measured = await measure(origin, invite, documents, traceTo);
			results[i]!.push(measured);
			console.log(`  run ${run + 1} ${side.name}: ${JSON.stringify(measured, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
		}
	}
	const rows: [string, keyof Run, string][] = [
		['join → home usable', 'join', '< 2 s'],
		['open offline → first posts visible', 'offlineBoard', '< 1.5 s'],
		['longest main-thread task while older quarters load', 'longTask', '< 50 ms'],
		['the same, apart from the tap’s own tasks (finger down → the board answers)', 'loadTask', '–'],
		['a tap during that load: input to next paint', 'tap', '< 200 ms'],
		['main-thread blocking time during that load (sum over long tasks of their time past 50 ms)', 'blocking', '–'],
		['home → first posts shown (“Hulp” tapped at once)', 'postsShown', '–'],
		['home → every quarter loaded', 'allLoaded', '–']
	];
	console.log(`\n| measure | ${sides.map((s) => s.name).join(' | ')} | goal |`);
	console.log(`|---|${sides.map(() => '---|').join('')}---|`);
	for (const [label, key, goal] of rows) {
		console.log(`| ${label} | ${results.map((r) => `${Math.round(median(r.map((x) => x[key])))} ms`).join(' | ')} | ${goal} |`);
	}
	console.log(runs > 1 ? `\nMedians of ${runs} runs.` : '');
} finally {
	await Promise.all(relays.map((relay) => relay.close()));
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}
