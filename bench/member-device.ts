// Figures of issue #17 on a member's device: the cheap phone (bench/phone.ts: CPU 4× slower, Slow
// 4G) joins the ten-year neighbourhood (bench/generate-agenda.ts), and later opens it offline.
//   npm run build && npx tsx bench/member-device.ts [--runs 1] [--scale 1] [--seed 7]
//     [--app before=../other-checkout/build --app after=build] [--trace /tmp/phone.json] [--typing-ms 4000]
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
// run's figures are not comparable with the others.
// With --frames, each run also lists the page's long animation frames (50 ms or more) from home to
// everything loaded, with the scripts that ran in each (what called them, the function or file and
// character, their time, and the style and layout they forced): the browser's own attribution,
// with no sampler slowing the page. An unminified build (npx vite build --minify false) names more.
// Builds given with --app take turns run by run; each is served by this checkout's relay, with
// the same generated agenda. The agenda is generated around today, as the page shows this week.
import '@automerge/automerge';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invitation } from '../relay/create.ts';
import { startRelay } from '../relay/main.ts';
import { count, option } from './arguments.ts';
import { builtApps, launchWithProfile, storedDocuments, whenHeldLocally } from './browser.ts';
import { seedAgendaRelay } from './agenda-relay.ts';
import { agendaArgs, generateAgenda } from './generate-agenda.ts';
import { recordTrace } from './page-trace.ts';
import { asCheapPhone } from './phone.ts';
import { median } from './timing.ts';

const runs = count('runs', 1);
const typingMs = Number(option('typing-ms') ?? 0);
const args = agendaArgs();
const HOME = 'Wat kunt u doen?';
const HAPPENING = 'ol.agenda-days li.happening';
const LOADING = 'De oudere agenda wordt nog geladen';
const OPENING = 'De agenda wordt geopend';

// The frames' observer only with --frames: it runs on the page being measured.
const frames = process.argv.includes('--frames');
// Runs in every page before the app (a string: tsx would wrap a function's names in a helper the
// page does not have). Keeps long tasks and interactions, and the moment "Klaar" is tapped.
const observer = `(() => {
	const seen = { long: [], taps: [], downs: [], frames: [], submit: undefined };
	document.addEventListener('pointerdown', () => seen.downs.push(performance.now()), true);
	Object.defineProperty(window, '__phone', { value: seen });
	new PerformanceObserver((list) => { for (const e of list.getEntries()) seen.long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
${frames ? `	new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration >= 50) seen.frames.push({ at: e.startTime, duration: e.duration, layout: e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : 0, scripts: e.scripts.map((s) => ({ invoker: s.invokerType + ' ' + s.invoker, source: (s.sourceFunctionName ? s.sourceFunctionName + ' ' : '') + (s.sourceURL || '').split('/').pop() + ':' + s.sourceCharPosition, duration: s.duration, forced: s.forcedStyleAndLayoutDuration })) }); }).observe({ type: 'long-animation-frame', buffered: true });` : ''}
	new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.interactionId) seen.taps.push([e.startTime, e.duration]); }).observe({ type: 'event', durationThreshold: 16, buffered: true });
	document.addEventListener('click', (event) => {
		const button = event.target instanceof Element ? event.target.closest('button') : null;
		if (button && (button.textContent || '').trim() === 'Klaar' && seen.submit === undefined) seen.submit = performance.now();
	}, true);
})();`;

interface Frame {
	at: number;
	duration: number;
	/** From the start of style and layout to the frame's end: what drawing the page took. */
	layout: number;
	scripts: { invoker: string; source: string; duration: number; forced: number }[];
}

interface Seen {
	long: [number, number][];
	/** Long animation frames, with what ran in them (--frames). */
	frames: Frame[];
	/** When a finger went down, each time. */
	downs: number[];
	taps: [number, number][];
	submit?: number;
}

/**
 * The page's clock at the first frame where `selector` (with `text`, when given) is on the screen.
 * Looked for by the page itself, once a frame, with nothing of Playwright's in the frame: its own
 * polling once a frame ran its injected script each time, about 2 ms a frame in a trace of the
 * cheap phone, and now and then in a long task the bench counted as the page's. A string: tsx would
 * wrap the loop's name in a helper the page does not have.
 */
const shown = (page: Page, selector: string, text?: string): Promise<number> => firstFrame(page, [selector], text);

/** As `shown`, for the first of several things, or a status line that says `status`. */
const firstFrame = (page: Page, selectors: string[], text?: string, status?: string): Promise<number> => page.evaluate(lookFor(selectors, text, status)) as Promise<number>;

/** An expression for the page: a promise of the page's clock at the first frame that shows it. */
const lookFor = (selectors: string[], text?: string, status?: string) => `new Promise((resolve) => {
	const selectors = ${JSON.stringify(selectors)}, text = ${JSON.stringify(text ?? null)}, status = ${JSON.stringify(status ?? null)};
	const look = () => {
		const found = selectors.some((selector) => [...document.querySelectorAll(selector)].some((el) => text === null || (el.textContent || '').trim() === text));
		const said = status !== null && [...document.querySelectorAll('[role="status"]')].some((el) => (el.textContent || '').includes(status));
		if (found || said) resolve(performance.now());
		else requestAnimationFrame(look);
	};
	look();
})`;

/** Each long animation frame from home to loaded, its time from home, and the scripts in it. */
function printFrames(frames: Frame[], moments: { home: number; tap: number; agendaShown: number; loaded: number }, long: [number, number][]) {
	const from = (at: number) => Math.round(at - moments.home);
	const tasks = long.filter(([at]) => at >= moments.home && at <= moments.loaded).map(([at, duration]) => `${from(at)} ms (${Math.round(duration)} ms)`);
	if (tasks.length > 0) console.log(`    long tasks at ${tasks.join(', ')}`);
	console.log(`    frames of 50 ms or more (tap at ${from(moments.tap)} ms, this week shown at ${from(moments.agendaShown)} ms, loaded at ${from(moments.loaded)} ms):`);
	for (const frame of frames.filter((f) => f.at >= moments.home && f.at <= moments.loaded)) {
		const scripts = frame.scripts.map((s) => `${s.invoker} → ${s.source} ${Math.round(s.duration)} ms${s.forced >= 1 ? ` (forced style/layout ${Math.round(s.forced)} ms)` : ''}`);
		const layout = frame.layout >= 1 ? `; style, layout and paint ${Math.round(frame.layout)} ms` : '';
		console.log(`      ${from(frame.at)} ms: ${Math.round(frame.duration)} ms; ${scripts.join('; ') || 'no script'}${layout}`);
	}
}

const seenIn = (page: Page) => page.evaluate(() => (window as unknown as { __phone: Seen }).__phone);
const longest = (entries: [number, number][], from: number, to = Infinity) =>
	Math.max(0, ...entries.filter(([start]) => start >= from && start <= to).map(([, duration]) => duration));

/** The longest task from `from` to `to` that did not start within `apart`. */
const longestApart = (entries: [number, number][], from: number, to: number, [skipFrom, skipTo]: [number, number]) =>
	longest(entries.filter(([start]) => start < skipFrom || start > skipTo), from, to);

const blockingTime = (entries: [number, number][], from: number, to: number) =>
	entries.filter(([start]) => start >= from && start <= to).reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);

interface Run {
	join: number;
	tap: number;
	longTask: number;
	/** The same, leaving out the tasks from the tap until this week's agenda shows. */
	loadTask: number;
	/** Main-thread time beyond 50 ms per long task (total blocking time), home to everything loaded. */
	blocking: number;
	/** From home to this week's agenda shown, the resident having tapped "Agenda" at once. */
	weekShown: number;
	/** From home to every year loaded (the agenda no longer says older years are coming). */
	allLoaded: number;
	offlineAgenda: number;
	offlineHome: number;
	/** Documents stored on the device when the status line first says "Bijgewerkt" after loading. */
	storedAtShared: number;
}

async function slowTab(context: BrowserContext, network: boolean): Promise<Page> {
	const page = await context.newPage();
	await asCheapPhone(context, page, { network });
	return page;
}

const PHONE = { locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' };

async function phoneBrowser(profile: string, offline: boolean): Promise<BrowserContext> {
	const context = await launchWithProfile(profile, { ...PHONE, offline });
	await context.addInitScript({ content: observer });
	return context;
}

/**
 * The page's clock when `selector` shows, opening `url` offline in a browser started cold on `profile`.
 * With `traceTo`, traced from before the page is asked for until it shows (moment "shown").
 */
async function offlineOpen(profile: string, url: string, selector: string, text?: string, traceTo?: string): Promise<number> {
	const context = await phoneBrowser(profile, true);
	try {
		const page = await slowTab(context, false);
		// The page looks for itself, from its first frame: Playwright's own look would first put its
		// script into the page, 100 to 150 ms of the cheap phone's main thread in the middle of the
		// start being measured. Asked from outside with a plain expression, which puts nothing there.
		await page.addInitScript({ content: watchFor(selector, text) });
		const cdp = await context.newCDPSession(page);
		const trace = traceTo ? await recordTrace(context, page) : undefined;
		await page.goto(url, { waitUntil: 'commit' });
		const at = await seenAt(cdp);
		await trace?.save(traceTo!, { start: 0, shown: at });
		return at;
	} finally {
		await context.close();
	}
}

/** Runs in the page: keeps the page's clock at the first frame `selector` (with `text`) is there. */
const watchFor = (selector: string, text?: string) => `${lookFor([selector], text)}.then((at) => Object.defineProperty(window, '__shownAt', { value: at }));`;

async function seenAt(cdp: CDPSession): Promise<number> {
	const until = Date.now() + 300_000;
	while (Date.now() < until) {
		const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.__shownAt', returnByValue: true });
		if (typeof result.value === 'number') return result.value;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('not shown within 300 s');
}

async function measure(origin: string, invite: string, traceTo?: string): Promise<Run> {
	const profile = mkdtempSync(join(tmpdir(), 'noaber-bench-phone-'));
	const context = await phoneBrowser(profile, false);
	try {
		const page = await slowTab(context, true);
		await page.goto(invite, { timeout: 120_000 });
		await page.getByRole('button', { name: 'Ja, ik doe mee', exact: true }).click({ timeout: 120_000 });
		// At once by default; with --typing-ms, letter by letter over that time, as a resident types
		// (what the page does meanwhile, while idle, then has its time, as it has for a person).
		if (typingMs > 0) await page.getByLabel('Uw naam', { exact: true }).pressSequentially('Buur', { delay: typingMs / 4 });
		else await page.getByLabel('Uw naam', { exact: true }).fill('Buur');
		// A resident reads the invitation and types a name for many seconds, while the page fetches
		// Automerge's wasm (1.1 MB over the network: about 4 s on Slow 4G). The bench types at once,
		// so it waits for the wasm as a person would: without this, whether the service worker took
		// over before that fetch (it fetches unslowed) decided the figure by ±3 s.
		await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('.wasm') && (r as PerformanceResourceTiming).responseEnd > 0), undefined, { timeout: 120_000 });
		const trace = traceTo ? await recordTrace(context, page) : undefined;
		await page.getByRole('button', { name: 'Klaar', exact: true }).click();
		const home = await shown(page, 'h2', HOME);
		const submit = (await seenIn(page)).submit!;
		// Straight away, while the older years are still coming: the resident opens the agenda.
		await page.locator('nav a[href="/agenda"]').first().click();
		// The page's answer to the tap: this week, or that the agenda is opening (a tap that comes
		// before the documents; what is drawn once they are is loading's, not the tap's).
		const answered = await firstFrame(page, [HAPPENING], undefined, OPENING);
		const agendaShown = await shown(page, HAPPENING);
		// Open in full: this week shows, and neither "wordt geopend" (its first documents on their way)
		// nor "oudere agenda wordt nog geladen" (older years on their way) is on the page. Both are
		// status lines; reading only those keeps the bench's look cheap: the page's whole innerText
		// made a layout of ten years' page every 100 ms, long tasks of the bench's own (50 to 64 ms
		// in a trace) counted as the page's.
		await page.waitForFunction(
			([happening, texts]) =>
				document.querySelector(happening) !== null &&
				![...document.querySelectorAll('[role="status"]')].some((status) => texts.some((text) => status.textContent?.includes(text))),
			[HAPPENING, [OPENING, LOADING]] as const,
			{ polling: 100, timeout: 600_000 }
		);
		const loaded = await page.evaluate(() => performance.now());
		const during = await seenIn(page);
		const down = during.downs.find((at) => at >= home) ?? agendaShown;
		if (frames) printFrames(during.frames, { home, tap: down, agendaShown, loaded }, during.long);
		await trace?.save(traceTo!, { klaar: submit, home, tap: down, agendaShown, loaded });
		// What a resident may take as "done, I can close the app": how much is on the device by then.
		// The status line looks again at least once a second: the word it shows first may be from
		// before the last years opened.
		await page.waitForTimeout(1100);
		await page.getByText('Bijgewerkt met de buurt').waitFor({ timeout: 120_000 });
		const storedAtShared = (await page.evaluate(storedDocuments, 0)) || 0;
		const run = {
			join: home - submit,
			tap: longest(during.taps, home, loaded),
			longTask: longest(during.long, home, loaded),
			loadTask: longestApart(during.long, home, loaded, [down, answered]),
			blocking: blockingTime(during.long, home, loaded),
			weekShown: agendaShown - home,
			allLoaded: loaded - home,
			storedAtShared
		};

		// The root, the members, the map and the agenda's documents.
		await whenHeldLocally(page, generated.documents.length + 3);
		await context.close();
		const offlineAgenda = await offlineOpen(profile, `${origin}/agenda`, HAPPENING, undefined, traceTo?.replace(/(\.json)?$/, '-offline-agenda.json'));
		const offlineHome = await offlineOpen(profile, origin, 'h2', HOME, traceTo?.replace(/(\.json)?$/, '-offline-home.json'));
		return { ...run, offlineAgenda, offlineHome };
	} finally {
		await context.close();
		rmSync(profile, { recursive: true, force: true });
	}
}

const sides = builtApps();
const generated = generateAgenda(args.seed, args.scale, new Date());
const folders = sides.map(() => mkdtempSync(join(tmpdir(), 'noaber-bench-member-device-')));
const relays = await Promise.all(
	sides.map((side, i) => startRelay({ port: 0, host: '127.0.0.1', data: folders[i], publicUrl: undefined, app: side.dir, logLevel: 'warn', maxPayload: 64 * 1024 * 1024 }))
);
const hosted = await Promise.all(
	relays.map(async (relay, i) => {
		const origin = `http://localhost:${relay.port}`;
		relay.registry.reload();
		const seeded = await seedAgendaRelay(folders[i], origin, generated);
		relay.registry.reload();
		return { origin, record: { id: seeded.id, root: seeded.root } };
	})
);
console.log(`${generated.counts.events} one-off events and ${generated.counts.series} series in ${generated.documents.length} agenda documents; ${runs} run(s) per build, CPU 4× slower, Slow 4G while joining.\n`);

try {
	const results = sides.map(() => [] as Run[]);
	for (let run = 0; run < runs; run++) {
		for (const [i, side] of sides.entries()) {
			const { origin, record } = hosted[i];
			// An invitation for anyone, as a resident gets it from a flyer.
			const { invite } = invitation(relays[i].access, record, origin);
			const traceTo = run === 0 && option('trace') ? (sides.length > 1 ? option('trace')!.replace(/(\.json)?$/, `-${side.name}.json`) : option('trace')) : undefined;
			const measured = await measure(origin, invite, traceTo);
			results[i].push(measured);
			console.log(`  run ${run + 1} ${side.name}: ${JSON.stringify(measured, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`);
		}
	}
	const rows: [string, Exclude<keyof Run, 'storedAtShared'>, string][] = [
		['join → home usable', 'join', '< 2 s'],
		['open offline → this week’s agenda visible', 'offlineAgenda', '< 1.5 s'],
		['offline cold start → home usable', 'offlineHome', '< 1.5 s'],
		['longest main-thread task while older years load', 'longTask', '< 50 ms'],
		['the same, apart from the tap’s own tasks (finger down → the agenda page answers)', 'loadTask', '–'],
		['a tap during that load: input to next paint', 'tap', '< 200 ms'],
		['main-thread blocking time during that load (sum over long tasks of their time past 50 ms)', 'blocking', '–'],
		['home → this week’s agenda shown (“Agenda” tapped at once)', 'weekShown', '–'],
		['home → every older year loaded', 'allLoaded', '–']
	];
	console.log(`\n| measure | ${sides.map((s) => s.name).join(' | ')} | goal |`);
	console.log(`|---|${sides.map(() => '---|').join('')}---|`);
	for (const [label, key, goal] of rows) {
		console.log(`| ${label} | ${results.map((r) => `${Math.round(median(r.map((x) => x[key])))} ms`).join(' | ')} | ${goal} |`);
	}
	const all = generated.documents.length + 3;
	console.log(`| documents on the device at "Bijgewerkt met de buurt", of ${all} | ${results.map((r) => r.map((x) => x.storedAtShared).join(', ')).join(' | ')} | ${all} |`);
	console.log(runs > 1 ? `\nMedians of ${runs} runs; the documents stored, every run.` : '');
} finally {
	await Promise.all(relays.map((relay) => relay.close()));
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
}
