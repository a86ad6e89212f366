// Benchmark of the help board at ten years of activity (issue: 20,000 posts, 50,000 responses).
// Generates a seeded neighbourhood, seeds a real relay with it, joins it in Debian's Chromium
// through the built app, then measures opening the board from local storage (offline, so only
// IndexedDB and the service worker serve it), a filter, a search, and the stored sizes.
// Run: npm run build && npm run bench [-- --scale 0.1 --seed 7 --data <folder from make-board.ts>]
import '@automerge/automerge';
import type { Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelay } from '../relay/main.ts';
import { builtApp, launchChromium, startJoining, whenHeldLocally } from './browser.ts';
import { mb, median, reporter } from './timing.ts';
import { benchArgs, type Generated } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';
import { loadGenerated } from './help-files.ts';
import { seedRelay } from './seed-relay.ts';

const { seed, scale, workers, data: saved } = benchArgs();

const app = builtApp();
const ms = (start: number) => Math.round(performance.now() - start);
const { report, table } = reporter();

async function countText(page: Page): Promise<string> {
	return (await page.getByTestId('help-count').textContent()) ?? '';
}

/** Waits until the board's count changes, and returns how long it took from `start`. */
async function untilCountChanges(page: Page, before: string, start: number): Promise<number> {
	await page.waitForFunction(
		(previous) => document.querySelector('[data-testid="help-count"]')?.textContent !== previous,
		before,
		{ polling: 'raf', timeout: 60_000 }
	);
	return ms(start);
}

let start = performance.now();
let generated: Generated;
if (saved && existsSync(join(saved, 'index.json'))) {
	generated = loadGenerated(saved);
	console.log(`Loaded the board of seed ${generated.seed} from ${saved}`);
} else {
	console.log(`Generating ${scale.posts} posts and ${scale.responses} responses in ${scale.periods} quarters (seed ${seed})…`);
	generated = await generateParallel(seed, scale, workers);
	report('generate (Node)', `${ms(start)} ms, ${generated.counts.changes} changes`);
}

const data = mkdtempSync(join(tmpdir(), 'noaber-bench-'));
const relay = await startRelay({ port: 0, host: '127.0.0.1', data, publicUrl: undefined, app, logLevel: 'warn', maxPayload: 64 * 1024 * 1024 });
const origin = `http://localhost:${relay.port}`;
relay.registry.reload();
start = performance.now();
const hosted = await seedRelay(data, origin, generated, new Date('2026-11-28T12:00:00Z'));
relay.registry.reload();
const total = hosted.bytes.reduce((a, b) => a + b, 0);
report('stored quarter documents', `${mb(total)} in ${hosted.bytes.length} quarters (largest ${mb(Math.max(...hosted.bytes))})`);
report(
	'archive documents',
	`${mb(hosted.archiveBytes.reduce((a, b) => a + b, 0))} in ${hosted.archiveBytes.length} years, ${hosted.archivedPosts} posts; ${hosted.bytes.length - hosted.sealed} quarters stay live`
);
report('seed the relay (Node)', `${ms(start)} ms`);

const browser = await launchChromium();
try {
	const { context, page, finish } = await startJoining(browser, hosted.invite!);
	start = performance.now();
	await finish();
	await page.getByRole('link', { name: 'Hulp', exact: true }).click();
	await page.getByTestId('help-count').waitFor();
	report('first board after joining (from the relay, recent quarters)', `${ms(start)} ms`);
	await page.getByText('Oudere berichten worden nog geladen').waitFor({ state: 'detached', timeout: 300_000 });
	report('all quarters synced from the relay', `${ms(start)} ms`);
	report('browser storage used (IndexedDB + app cache)', mb(await whenHeldLocally(page)));

	// Opening from local storage: offline, so nothing but this device serves the board.
	await context.setOffline(true);
	const timings: { first: number; all: number }[] = [];
	for (let run = 0; run < 3; run += 1) {
		start = performance.now();
		await page.goto(`${origin}/hulp`);
		await page.waitForFunction(() => /[1-9]/.test(document.querySelector('[data-testid="help-count"]')?.textContent ?? ''), null, {
			polling: 'raf',
			timeout: 120_000
		});
		const first = ms(start);
		await page.getByText('Oudere berichten worden nog geladen').waitFor({ state: 'detached', timeout: 300_000 });
		timings.push({ first, all: ms(start) });
	}
	report('open board from local storage: first posts shown (median of 3)', `${median(timings.map((t) => t.first))} ms`);
	report('open board from local storage: all quarters loaded (median of 3)', `${median(timings.map((t) => t.all))} ms`);
	const allActive = await countText(page);
	report('open posts on the board', allActive);

	await page.getByLabel('Stand').selectOption({ label: 'Alles' });
	let before = await countText(page);
	start = performance.now();
	await page.getByLabel('Onderwerp').selectOption({ label: 'Vervoer' });
	report('filter by category over all posts', `${await untilCountChanges(page, before, start)} ms (${await countText(page)})`);

	before = await countText(page);
	start = performance.now();
	await page.getByLabel('Zoeken').fill('cafe');
	report('search "cafe" (finds "café")', `${await untilCountChanges(page, before, start)} ms (${await countText(page)})`);
	console.log('\nTimes include Playwright’s round trip to the page (a few ms).');
} finally {
	await browser.close();
	await relay.close();
	rmSync(data, { recursive: true, force: true });
}

table();
