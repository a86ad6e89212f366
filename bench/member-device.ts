// Figures of issue #17 on a member's device: the cheap phone (bench/phone.ts: CPU 4× slower, Slow
// 4G) joins the ten-year neighbourhood (bench/generate-agenda.ts), and later opens it offline.
//   npm run build && npx tsx bench/member-device.ts [--runs 1] [--scale 1] [--seed 7]
//     [--app before=../other-checkout/build --app after=build] [--trace /tmp/phone.json [--no-sampler]] [--typing-ms 4000]
// What each run measures, in a fresh browser context, times from the page's own clock:
//   join → home usable: the tap on "Klaar" → the home screen ("Wat kunt u doen?") is shown. The
//     tap comes once Automerge's wasm has arrived, as it has for a resident who reads and types.
//   a tap while older years load: the resident taps "Agenda" at once; the longest interaction
//     (Event Timing: input to the next paint) from then until every agenda document is open.
//   longest main-thread task while older years load: from the home screen until the agenda page
//     no longer says the older agenda is still loading. Also without the tap's own tasks (from the
//     finger down until the agenda page answers, with this week or with "De agenda wordt
//     geopend…" when its documents are still on their way: SvelteKit's navigation and the page's
//     first render), which are what the tap costs rather than what loading the older years does.
//   home → this week's agenda shown: after that tap, until the first happening of this week shows
//     (what the page takes in before it can show this week).
//   open offline → this week's agenda visible: the browser closed and started again on the same
//     profile, the network off, a tab opens /agenda; until the first happening of this week shows.
//   offline cold start → home usable: the same for /, until the home screen shows.
//   documents on the device at "Bijgewerkt met de buurt": counted in IndexedDB when the status line
//     first says so once the older years are open; a resident may close the app at that word.
// Each offline open starts a new browser: a tab only closed may go on working in the renderer the
// next tab of the same site shares (it made a later tab wait 8 s for the older years of the last).
// With --trace, each build's first run records a performance trace from the tap on "Klaar" until
// everything is loaded (<file>, or <file>-<build>.json with several builds), for bench/long-tasks.ts;
// and each offline open from the request until it shows (<file>-offline-agenda.json and
// <file>-offline-home.json; moments "start" and "shown"). The sampler slows the page, so that
// run's figures are not comparable with the others (with --no-sampler, the timeline only: nearer
// to them, and bench/long-tasks.ts tells how much of each task the page's thread ran and how much
// it waited for a core).
// With --frames, each run also lists the page's long animation frames (50 ms or more) from home to
// everything loaded, with the scripts that ran in each (what called them, the function or file and
// character, their time, and the style and layout they forced): the browser's own attribution,
// with no sampler slowing the page. An unminified build (npx vite build --minify false) names more;
// a build under study that marks its own spans (performance.measure) has them listed in each frame.
// Builds given with --app take turns run by run; each is served by this checkout's relay, with
// the same generated agenda. The agenda is generated around today, as the page shows this week.
import '@automerge/automerge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, option } from './arguments.ts';
import { storedDocuments, whenHeldLocally } from './browser.ts';
import { seedAgendaRelay, type SeededAgenda } from './agenda-relay.ts';
import { agendaArgs, generateAgenda } from './generate-agenda.ts';
import { HOME, joinAndOpen, offlineOpen, phoneBrowser, slowTab, type OpenedAtOnce } from './phone-page.ts';
import { inTurns, printMedians, startSides, type Side } from './side-by-side.ts';

const runs = count('runs', 1);
const typingMs = Number(option('typing-ms') ?? 0);
const args = agendaArgs();
const HAPPENING = 'ol.agenda-days li.happening';
const LOADING = 'De oudere agenda wordt nog geladen';
const OPENING = 'De agenda wordt geopend';

type Run = OpenedAtOnce['figures'] & {
	offlineAgenda: number;
	offlineHome: number;
	/** Documents stored on the device when the status line first says "Bijgewerkt" after loading. */
	storedAtShared: number;
};

async function measure(side: Side<SeededAgenda>, traceTo?: string): Promise<Run> {
	const profile = mkdtempSync(join(tmpdir(), 'noaber-bench-phone-'));
	const context = await phoneBrowser(profile, false);
	try {
		const page = await slowTab(context, true);
		// Straight away, while the older years are still coming: the resident opens the agenda. Open in
		// full: this week shows, and neither "wordt geopend" (its first documents on their way) nor
		// "oudere agenda wordt nog geladen" (older years on their way) is on the page.
		const { figures } = await joinAndOpen(context, page, { invite: side.invite(), typingMs, link: '/agenda', item: HAPPENING, opening: OPENING, loading: LOADING, traceTo });
		// What a resident may take as "done, I can close the app": how much is on the device by then.
		// The status line looks again at least once a second: the word it shows first may be from
		// before the last years opened.
		await page.waitForTimeout(1100);
		await page.getByText('Bijgewerkt met de buurt').waitFor({ timeout: 120_000 });
		const storedAtShared = (await page.evaluate(storedDocuments, 0)) || 0;

		// The root, the members, the map and the agenda's documents.
		await whenHeldLocally(page, generated.documents.length + 3);
		await context.close();
		const offlineAgenda = await offlineOpen(profile, `${side.origin}/agenda`, HAPPENING, undefined, traceTo?.replace(/(\.json)?$/, '-offline-agenda.json'));
		const offlineHome = await offlineOpen(profile, side.origin, 'h2', HOME, traceTo?.replace(/(\.json)?$/, '-offline-home.json'));
		return { ...figures, storedAtShared, offlineAgenda, offlineHome };
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

const generated = generateAgenda(args.seed, args.scale, new Date());
const { sides, close } = await startSides((folder, origin) => seedAgendaRelay(folder, origin, generated));
console.log(`${generated.counts.events} one-off events and ${generated.counts.series} series in ${generated.documents.length} agenda documents; ${runs} run(s) per build, CPU 4× slower, Slow 4G while joining.\n`);

try {
	const results = await inTurns(sides, runs, (side, run) => measure(side, side.traceTo(run)));
	printMedians(sides, results, [
		['join → home usable', 'join', '< 2 s'],
		['open offline → this week’s agenda visible', 'offlineAgenda', '< 1.5 s'],
		['offline cold start → home usable', 'offlineHome', '< 1.5 s'],
		['longest main-thread task while older years load', 'longTask', '< 50 ms'],
		['the same, apart from the tap’s own tasks (finger down → the agenda page answers)', 'loadTask', '–'],
		['a tap during that load: input to next paint', 'tap', '< 200 ms'],
		['main-thread blocking time during that load (sum over long tasks of their time past 50 ms)', 'blocking', '–'],
		['home → this week’s agenda shown (“Agenda” tapped at once)', 'shown', '–'],
		['home → every older year loaded', 'allLoaded', '–']
	]);
	const all = generated.documents.length + 3;
	console.log(`| documents on the device at "Bijgewerkt met de buurt", of ${all} | ${results.map((r) => r.map((x) => x.storedAtShared).join(', ')).join(' | ')} | ${all} |`);
	console.log(runs > 1 ? `\nMedians of ${runs} runs; the documents stored, every run.` : '');
} finally {
	await close();
}
