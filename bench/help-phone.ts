// Figures of issue #17 for the help board on a member's device: the cheap phone (bench/phone.ts: CPU
// 4× slower, Slow 4G) joins a neighbourhood with ten years of help (bench/generate-help.ts: 20,000
// posts and 50,000 responses in 40 quarters, those long closed archived per year as devices do),
// taps "Hulp" at once, and later opens the board offline.
//   npm run build && npx tsx bench/help-phone.ts [--runs 1] [--scale 1] [--seed n] [--data <board>]
//     [--app before=<build> --app after=build] [--frames] [--typing-ms 4000] [--trace /tmp/board.json [--no-sampler]]
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
//   open offline → the social map's first services visible: the same for /kaart (80 services), after
//     the resident looked at the map once while online.
// With --trace, each build's first run records a performance trace from the tap on "Klaar" until the
// board is loaded (<file>, or <file>-<build>.json with several builds), for bench/long-tasks.ts; the
// sampler slows the page, so that run's figures are not comparable with the others (with
// --no-sampler, the timeline only: nearer to them, and bench/long-tasks.ts tells how much of each
// task the page's thread ran and how much it waited for a core).
// The board is generated around today (or loaded with --data from bench/make-board.ts, around the
// day it was made). Builds given with --app take turns run by run, each served by this checkout's
// relay with the same board.
import '@automerge/automerge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, option } from './arguments.ts';
import { whenHeldLocally } from './browser.ts';
import { BENCH_NOW, benchArgs, type Generated } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';
import { loadGenerated } from './help-files.ts';
import { joinAndOpen, offlineOpen, phoneBrowser, slowTab, type OpenedAtOnce } from './phone-page.ts';
import { seedRelay, type Seeded } from './seed-relay.ts';
import { inTurns, printMedians, startSides, type Side } from './side-by-side.ts';

const runs = count('runs', 1);
const typingMs = Number(option('typing-ms') ?? 0);
const { seed, scale, workers, data: saved } = benchArgs();
const POST = 'article.post';
const OPENING = 'Het prikbord wordt geopend';
const OLDER = 'Oudere berichten worden nog geladen';
// "Oudere berichten…" is a plain line under the count, not a status line.
const LINES = '[role="status"], p.muted';

type Run = OpenedAtOnce['figures'] & { offlineBoard: number; offlineMap: number };

async function measure(side: Side<Seeded>, documents: number, traceTo?: string): Promise<Run> {
	const profile = mkdtempSync(join(tmpdir(), 'noaber-bench-help-phone-'));
	const context = await phoneBrowser(profile, false);
	try {
		const page = await slowTab(context, true);
		// Straight away, while older quarters are still coming: the resident opens the board.
		const { figures } = await joinAndOpen(context, page, { invite: side.invite(), typingMs, link: '/hulp', item: POST, opening: OPENING, loading: OLDER, lines: LINES, traceTo });
		await whenHeldLocally(page, documents);
		// The resident looks at the map once: a build that keeps its first screenful keeps it now.
		await page.getByRole('navigation', { name: 'Noaber' }).getByRole('link', { name: 'Sociale kaart' }).click();
		await page.locator('li.service').first().waitFor({ timeout: 300_000 });
		await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.startsWith('noaber.map.')), undefined, { timeout: 10_000 }).catch(() => undefined);
		await context.close();
		const offlineBoard = await offlineOpen(profile, `${side.origin}/hulp`, POST);
		// The social map, read away from the page as the board is: until its first services show.
		const offlineMap = await offlineOpen(profile, `${side.origin}/kaart`, 'li.service');
		return { ...figures, offlineBoard, offlineMap };
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

let now = new Date();
let generated: Generated;
if (saved) {
	generated = loadGenerated(saved);
	now = BENCH_NOW;
} else {
	console.log(`Generating ${scale.posts} posts and ${scale.responses} responses in ${scale.periods} quarters (seed ${seed})…`);
	generated = await generateParallel(seed, scale, workers, now);
}
const { sides, close } = await startSides((folder, origin) => seedRelay(folder, origin, generated, now, { map: true }));
const first = sides[0]!.seeded;
// The root, the members, the map, the live quarters and the archives.
const documents = 3 + first.bytes.length - first.sealed + first.archiveBytes.length;
console.log(
	`${generated.counts.posts} posts and ${generated.counts.responses} responses; ${first.bytes.length - first.sealed} live quarters and ` +
		`${first.archiveBytes.length} yearly archives (${first.archivedPosts} posts); ${runs} run(s) per build, CPU 4× slower, Slow 4G while joining.\n`
);

try {
	const results = await inTurns(sides, runs, (side, run) => measure(side, documents, side.traceTo(run)));
	printMedians(sides, results, [
		['join → home usable', 'join', '< 2 s'],
		['open offline → first posts visible', 'offlineBoard', '< 1.5 s'],
		['open offline → the social map’s first services visible', 'offlineMap', '–'],
		['longest main-thread task while older quarters load', 'longTask', '< 50 ms'],
		['the same, apart from the tap’s own tasks (finger down → the board answers)', 'loadTask', '–'],
		['a tap during that load: input to next paint', 'tap', '< 200 ms'],
		['main-thread blocking time during that load (sum over long tasks of their time past 50 ms)', 'blocking', '–'],
		['home → first posts shown (“Hulp” tapped at once)', 'shown', '–'],
		['home → every quarter loaded', 'allLoaded', '–']
	]);
	console.log(runs > 1 ? `\nMedians of ${runs} runs.` : '');
} finally {
	await close();
}
