// The cheap phone's page as the benches on it see it (bench/member-device.ts, bench/help-phone.ts):
// what the page keeps of its long tasks, taps and frames; looking for what it shows, by the page
// itself; and opening it offline in a browser started cold.
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { launchWithProfile } from './browser.ts';
import { recordTrace } from './page-trace.ts';
import { asCheapPhone } from './phone.ts';

export const HOME = 'Wat kunt u doen?';

// The frames' observer only with --frames: it runs on the page being measured.
export const frames = process.argv.includes('--frames');
// Runs in every page before the app (a string: tsx would wrap a function's names in a helper the
// page does not have). Keeps long tasks and interactions, and the moment "Klaar" is tapped.
const observer = `(() => {
	const seen = { long: [], taps: [], downs: [], frames: [], measures: [], submit: undefined };
	document.addEventListener('pointerdown', () => seen.downs.push(performance.now()), true);
	Object.defineProperty(window, '__phone', { value: seen });
	new PerformanceObserver((list) => { for (const e of list.getEntries()) seen.long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
${frames ? `	new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration >= 50) seen.frames.push({ at: e.startTime, duration: e.duration, layout: e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : 0, scripts: e.scripts.map((s) => ({ invoker: s.invokerType + ' ' + s.invoker, source: (s.sourceFunctionName ? s.sourceFunctionName + ' ' : '') + (s.sourceURL || '').split('/').pop() + ':' + s.sourceCharPosition, duration: s.duration, forced: s.forcedStyleAndLayoutDuration })) }); }).observe({ type: 'long-animation-frame', buffered: true });
	new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration >= 5) seen.measures.push({ at: e.startTime, duration: e.duration, name: e.name }); }).observe({ type: 'measure', buffered: true });` : ''}
	new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.interactionId) seen.taps.push([e.startTime, e.duration]); }).observe({ type: 'event', durationThreshold: 16, buffered: true });
	document.addEventListener('click', (event) => {
		const button = event.target instanceof Element ? event.target.closest('button') : null;
		if (button && (button.textContent || '').trim() === 'Klaar' && seen.submit === undefined) seen.submit = performance.now();
	}, true);
})();`;

export interface Frame {
	at: number;
	duration: number;
	/** From the start of style and layout to the frame's end: what drawing the page took. */
	layout: number;
	scripts: { invoker: string; source: string; duration: number; forced: number }[];
}

/** A span the app itself measured (User Timing, `performance.measure`), of 5 ms or more. */
export interface Measure {
	at: number;
	duration: number;
	name: string;
}

export interface Seen {
	long: [number, number][];
	/** Long animation frames, with what ran in them (--frames). */
	frames: Frame[];
	/** The app's own measures (--frames): none unless a build under study marks its spans. */
	measures: Measure[];
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
export const shown = (page: Page, selector: string, text?: string): Promise<number> => firstFrame(page, [selector], text);

/** As `shown`, for the first of several things, or a status line that says `status`. */
export const firstFrame = (page: Page, selectors: string[], text?: string, status?: string): Promise<number> => page.evaluate(lookFor(selectors, text, status)) as Promise<number>;

/** An expression for the page: a promise of the page's clock at the first frame that shows it; rejected after 300 s. */
const lookFor = (selectors: string[], text?: string, status?: string) => `new Promise((resolve, reject) => {
	const until = performance.now() + 300000;
	const selectors = ${JSON.stringify(selectors)}, text = ${JSON.stringify(text ?? null)}, status = ${JSON.stringify(status ?? null)};
	const look = () => {
		const found = selectors.some((selector) => [...document.querySelectorAll(selector)].some((el) => text === null || (el.textContent || '').trim() === text));
		const said = status !== null && [...document.querySelectorAll('[role="status"]')].some((el) => (el.textContent || '').includes(status));
		if (found || said) resolve(performance.now());
		else if (performance.now() > until) reject(new Error('not shown within 300 s: ' + selectors.join(', ')));
		else requestAnimationFrame(look);
	};
	look();
})`;

/** Each long animation frame from home to loaded, its time from home, and the scripts in it. */
export function printFrames(frames: Frame[], moments: { home: number; tap: number; shown: number; loaded: number }, long: [number, number][], measures: Measure[] = []) {
	const from = (at: number) => Math.round(at - moments.home);
	const tasks = long.filter(([at]) => at >= moments.home && at <= moments.loaded).map(([at, duration]) => `${from(at)} ms (${Math.round(duration)} ms)`);
	if (tasks.length > 0) console.log(`    long tasks at ${tasks.join(', ')}`);
	console.log(`    frames of 50 ms or more (tap at ${from(moments.tap)} ms, shown at ${from(moments.shown)} ms, loaded at ${from(moments.loaded)} ms):`);
	for (const frame of frames.filter((f) => f.at >= moments.home && f.at <= moments.loaded)) {
		const scripts = frame.scripts.map((s) => `${s.invoker} → ${s.source} ${Math.round(s.duration)} ms${s.forced >= 1 ? ` (forced style/layout ${Math.round(s.forced)} ms)` : ''}`);
		const layout = frame.layout >= 1 ? `; style, layout and paint ${Math.round(frame.layout)} ms` : '';
		console.log(`      ${from(frame.at)} ms: ${Math.round(frame.duration)} ms; ${scripts.join('; ') || 'no script'}${layout}`);
		const within = measures.filter((m) => m.at >= frame.at && m.at < frame.at + frame.duration);
		if (within.length > 0) console.log(`        measured: ${within.map((m) => `${m.name} ${Math.round(m.duration)} ms`).join('; ')}`);
	}
}

export const seenIn = (page: Page) => page.evaluate(() => (window as unknown as { __phone: Seen }).__phone);
export const longest = (entries: [number, number][], from: number, to = Infinity) =>
	Math.max(0, ...entries.filter(([start]) => start >= from && start <= to).map(([, duration]) => duration));

/** The longest task from `from` to `to` that did not start within `apart`. */
export const longestApart = (entries: [number, number][], from: number, to: number, [skipFrom, skipTo]: [number, number]) =>
	longest(entries.filter(([start]) => start < skipFrom || start > skipTo), from, to);

export const blockingTime = (entries: [number, number][], from: number, to: number) =>
	entries.filter(([start]) => start >= from && start <= to).reduce((sum, [, duration]) => sum + Math.max(0, duration - 50), 0);

export async function slowTab(context: BrowserContext, network: boolean): Promise<Page> {
	const page = await context.newPage();
	await asCheapPhone(context, page, { network });
	return page;
}

const PHONE = { locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' };

export async function phoneBrowser(profile: string, offline: boolean): Promise<BrowserContext> {
	const context = await launchWithProfile(profile, { ...PHONE, offline });
	await context.addInitScript({ content: observer });
	return context;
}

/**
 * The page's clock when `selector` shows, opening `url` offline in a browser started cold on `profile`.
 * With `traceTo`, traced from before the page is asked for until it shows (moment "shown").
 */
export async function offlineOpen(profile: string, url: string, selector: string, text?: string, traceTo?: string): Promise<number> {
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


/**
 * The resident opens the invitation on the phone, says yes and types a name; the caller taps
 * "Klaar". At once by default; with `typingMs`, letter by letter over that time, as a resident types
 * (what the page does meanwhile, while idle, then has its time, as it has for a person).
 */
export async function readyToJoin(page: Page, invite: string, typingMs: number): Promise<void> {
	await page.goto(invite, { timeout: 120_000 });
	await page.getByRole('button', { name: 'Ja, ik doe mee', exact: true }).click({ timeout: 120_000 });
	if (typingMs > 0) await page.getByLabel('Uw naam', { exact: true }).pressSequentially('Buur', { delay: typingMs / 4 });
	else await page.getByLabel('Uw naam', { exact: true }).fill('Buur');
	// A resident reads the invitation and types a name for many seconds, while the page fetches
	// Automerge's wasm (1.1 MB over the network: about 4 s on Slow 4G). The bench types at once,
	// so it waits for the wasm as a person would: without this, whether the service worker took
	// over before that fetch (it fetches unslowed) decided the figure by ±3 s.
	await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('.wasm') && (r as PerformanceResourceTiming).responseEnd > 0), undefined, { timeout: 120_000 });
}

/**
 * Resolves once `selector` shows and no line matching `lines` (outside the items shown) says any
 * of `texts`: the page is open in full. Reading only those lines keeps the bench's look cheap: the
 * page's whole innerText made a layout of ten years' page every 100 ms, long tasks of the bench's
 * own (50 to 64 ms in a trace) counted as the page's.
 */
export async function untilNoneSays(page: Page, selector: string, texts: string[], lines = '[role="status"]'): Promise<void> {
	await page.waitForFunction(
		([shown, lines, texts]) =>
			document.querySelector(shown) !== null &&
			![...document.querySelectorAll(lines)].some((line) => line.closest(shown) === null && texts.some((text) => line.textContent?.includes(text))),
		[selector, lines, texts] as const,
		{ polling: 100, timeout: 600_000 }
	);
}

/** What a join and a tap at once show, in the page's clock (ms) and as figures. */
export interface OpenedAtOnce {
	/** The moment the home screen showed, and the page a tab later (for the caller's own looks). */
	home: number;
	figures: {
		/** The tap on "Klaar" → the home screen. */
		join: number;
		/** The longest interaction (input to next paint) from home until everything is loaded. */
		tap: number;
		/** The longest main-thread task in that time. */
		longTask: number;
		/** The same, leaving out the tap's own tasks (finger down until the page answers). */
		loadTask: number;
		/** Main-thread time beyond 50 ms per long task (total blocking time) in that time. */
		blocking: number;
		/** From home to the first `item` shown, the resident having tapped the link at once. */
		shown: number;
		/** From home to everything loaded (no line says `opening` or `loading` any more). */
		allLoaded: number;
	};
}

/**
 * The resident joins on the cheap phone (`readyToJoin`, then "Klaar") and taps `link` in the menu as
 * soon as the home screen shows; until `item` shows and no line says `opening` or `loading`. The
 * page's answer to the tap is `item` or `opening` (a tap that comes before the documents; what is
 * drawn once they are is loading's, not the tap's). With `traceTo`, traced from before "Klaar".
 */
export async function joinAndOpen(
	context: BrowserContext,
	page: Page,
	options: { invite: string; typingMs: number; link: string; item: string; opening: string; loading: string; lines?: string; traceTo?: string }
): Promise<OpenedAtOnce> {
	const { item, opening, loading, traceTo } = options;
	await readyToJoin(page, options.invite, options.typingMs);
	const trace = traceTo ? await recordTrace(context, page) : undefined;
	await page.getByRole('button', { name: 'Klaar', exact: true }).click();
	const home = await shown(page, 'h2', HOME);
	const submit = (await seenIn(page)).submit!;
	await page.locator(`nav a[href="${options.link}"]`).first().click();
	const answered = await firstFrame(page, [item], undefined, opening);
	const itemShown = await shown(page, item);
	await untilNoneSays(page, item, [opening, loading], options.lines);
	const loaded = await page.evaluate(() => performance.now());
	const during = await seenIn(page);
	const down = during.downs.find((at) => at >= home) ?? itemShown;
	if (frames) printFrames(during.frames, { home, tap: down, shown: itemShown, loaded }, during.long, during.measures);
	await trace?.save(traceTo!, { klaar: submit, home, tap: down, shown: itemShown, loaded });
	return {
		home,
		figures: {
			join: home - submit,
			tap: longest(during.taps, home, loaded),
			longTask: longest(during.long, home, loaded),
			loadTask: longestApart(during.long, home, loaded, [down, answered]),
			blocking: blockingTime(during.long, home, loaded),
			shown: itemShown - home,
			allLoaded: loaded - home
		}
	};
}
