// Benchmark of the agenda page at ten years (issue: 5,000 events, 200 of them recurring, the week
// view without a noticeable wait). Seeds a real relay with a generated agenda, joins it in
// Debian's Chromium through the built app, and measures the time until this week's happenings are
// on the page: the first time, from the relay, and then offline, from IndexedDB only.
// The agenda is generated around the real today unless --now is given, because the page shows the
// week of the device's clock (and loads the documents of the years around it first).
// Run: npm run build && npx tsx bench/agenda-page.ts [--scale 0.1 --seed 7 --data <folder from generate-agenda.ts>]
import '@automerge/automerge';
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../relay/main.ts';
import { builtApp, launchChromium, startJoining, whenHeldLocally } from './browser.ts';
import { mb, median, reporter } from './timing.ts';
import { todayWall } from '../src/lib/agenda/window.ts';
import { seedAgendaRelay } from './agenda-relay.ts';
import { agendaArgs, generateAgenda, hasSavedAgenda, loadAgenda, type GeneratedAgenda } from './generate-agenda.ts';

const args = agendaArgs();
const now = process.argv.includes('--now') ? args.now : new Date();

const app = builtApp();
const ms = (start: number) => Math.round(performance.now() - start);
const { report, table } = reporter();

const HAPPENING = 'ol.agenda-days li.happening';
// The page says so while any agenda document is still on its way.
const LOADING = 'De oudere agenda wordt nog geladen';

async function firstHappening(page: Page): Promise<void> {
	await page.waitForFunction((selector) => document.querySelector(selector) !== null, HAPPENING, { polling: 'raf', timeout: 120_000 });
}

let start = performance.now();
let generated: GeneratedAgenda;
if (hasSavedAgenda(args.data)) {
	generated = loadAgenda(args.data);
	console.log(`Loaded the agenda of seed ${generated.seed} (around ${generated.now.slice(0, 10)}) from ${args.data}`);
	if (todayWall(new Date(generated.now)) !== todayWall(now)) console.warn('  That agenda was generated around another day than today: this week may be emptier.');
} else {
	console.log(`Generating ${args.scale.events} one-off events and ${args.scale.series} series around ${now.toISOString().slice(0, 10)} (seed ${args.seed})…`);
	generated = generateAgenda(args.seed, args.scale, now);
	report('generate (Node)', `${ms(start)} ms, ${generated.counts.changes} changes`);
}

const data = mkdtempSync(join(tmpdir(), 'noaber-agenda-bench-'));
const relay = await startRelay({ port: 0, host: '127.0.0.1', data, publicUrl: undefined, app, logLevel: 'warn', maxPayload: 64 * 1024 * 1024 });
const origin = `http://localhost:${relay.port}`;
relay.registry.reload();
start = performance.now();
const hosted = await seedAgendaRelay(data, origin, generated);
relay.registry.reload();
report(
	'stored agenda documents',
	`${mb(hosted.bytes.reduce((a, b) => a + b, 0))} in ${hosted.bytes.length} documents (${generated.counts.events} one-off events, ${generated.counts.series} series, ${generated.counts.signups} sign-ups)`
);
report('seed the relay (Node)', `${ms(start)} ms`);

const browser = await launchChromium();
try {
	const { context, page, finish } = await startJoining(browser, hosted.invite!);
	start = performance.now();
	await finish();
	await page.locator('nav a[href="/agenda"]').first().click();
	// The app starts fetching the agenda as soon as the root arrives, whichever page is open.
	report('after joining: the agenda page open', `${ms(start)} ms`);
	await firstHappening(page);
	report('first week after joining (from the relay): happenings visible', `${ms(start)} ms`);
	await page.getByText(LOADING).waitFor({ state: 'detached', timeout: 300_000 });
	report('all agenda documents synced from the relay', `${ms(start)} ms`);
	report('happenings this week', String(await page.locator(HAPPENING).count()));
	report('browser storage used (IndexedDB + app cache)', mb(await whenHeldLocally(page)));

	// Opening from local storage: offline, so nothing but this device serves the agenda.
	await context.setOffline(true);
	const timings: { first: number; all: number }[] = [];
	for (let run = 0; run < 3; run += 1) {
		start = performance.now();
		await page.goto(`${origin}/agenda`);
		await firstHappening(page);
		const first = ms(start);
		await page.getByText(LOADING).waitFor({ state: 'detached', timeout: 300_000 });
		timings.push({ first, all: ms(start) });
	}
	report('open the agenda from local storage: this week visible (median of 3)', `${median(timings.map((t) => t.first))} ms`);
	report('open the agenda from local storage: all years loaded (median of 3)', `${median(timings.map((t) => t.all))} ms`);

	// Paging to a week not shown yet: every series expanded over a new window.
	start = performance.now();
	const before = await page.locator('ol.agenda-days > li h2').first().textContent();
	await page.getByRole('link', { name: /Volgende/ }).first().click();
	await page.waitForFunction(
		(previous) => document.querySelector('ol.agenda-days > li h2')?.textContent !== previous,
		before,
		{ polling: 'raf', timeout: 60_000 }
	);
	report('next week (all years loaded)', `${ms(start)} ms`);
	console.log('\nTimes include Playwright’s round trip to the page (a few ms).');
} finally {
	await browser.close();
	await relay.close();
	rmSync(data, { recursive: true, force: true });
}

table();
