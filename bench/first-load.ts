// Figures of issue #17's "small first load", on built apps served by the relay: the JavaScript a
// browser fetched before the first contentful paint of the welcome page, gzipped as the relay
// serves it (its precompressed .gz files), when that paint came, and all JavaScript and WebAssembly
// fetched by the time the page is quiet; the largest files of each. The goal: at most 100 KB
// gzipped before the first paint.
//   npm run build && npx tsx bench/first-load.ts [--path /] [--runs 5] [--fast]
//     [--app before=../other-checkout/build --app after=build]
// Each run opens the page in a fresh browser context (nothing cached, no service worker), on a
// cheap phone as the issue describes it: the CPU slowed 4× and DevTools' "Slow 4G" network
// (562.5 ms round trip, 1.47 Mbit/s down, 675 kbit/s up: Lighthouse's mobile profile as DevTools
// applies it). `--fast` leaves both out. Builds given with --app take turns run by run, so load on
// the machine hits them alike; each is served by this checkout's relay.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startRelay } from '../relay/main.ts';
import { count, option } from './arguments.ts';
import { builtApps, launchChromium } from './browser.ts';
import { asCheapPhone } from './phone.ts';
import { median } from './timing.ts';

const path = option('path') ?? '/';
const runs = count('runs', 5);
const throttled = !process.argv.includes('--fast');

interface Fetched {
	file: string;
	/** Milliseconds after navigation start when the last byte arrived. */
	end: number;
}

interface Run {
	paint: number;
	before: Fetched[];
	scripts: Fetched[];
	wasm: Fetched[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const sides = builtApps();
const data = mkdtempSync(join(tmpdir(), 'noaber-bench-first-load-'));
const relays = await Promise.all(
	sides.map((side, i) => {
		const folder = join(data, String(i));
		mkdirSync(folder);
		return startRelay({ port: 0, host: '127.0.0.1', data: folder, publicUrl: undefined, app: side.dir, logLevel: 'warn' });
	})
);
const browser = await launchChromium();

try {
	const results = sides.map(() => [] as Run[]);
	for (let run = 0; run < runs; run++) {
		for (const [i, side] of sides.entries()) {
			const context = await browser.newContext({ locale: 'nl-NL', serviceWorkers: 'block' });
			const page = await context.newPage();
			if (throttled) await asCheapPhone(context, page);
			await page.goto(`http://localhost:${relays[i].port}${path}`, { waitUntil: 'networkidle', timeout: 120_000 });
			await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
			const { paint, fetched } = await page.evaluate(() => ({
				paint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
				fetched: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ file: new URL(r.name).pathname, end: r.responseEnd }))
			}));
			const ours = (f: Fetched) => existsSync(join(side.dir, f.file));
			const scripts = fetched.filter((f) => f.file.endsWith('.js') && ours(f));
			results[i].push({ paint, scripts, before: scripts.filter((f) => f.end <= paint), wasm: fetched.filter((f) => f.file.endsWith('.wasm') && ours(f)) });
			await context.close();
		}
	}

	console.log(`Page ${path}, ${runs} runs per build, ${throttled ? 'CPU 4× slower and Slow 4G' : 'no throttling'}; medians over the runs.\n`);
	console.log('| build | first contentful paint | JavaScript before it (gzipped) | files | all JavaScript by quiet | WebAssembly by quiet |');
	console.log('|---|---|---|---|---|---|');
	const largest: string[] = [];
	for (const [i, side] of sides.entries()) {
		/** Bytes of the file as the relay sends it to a browser that takes gzip: its .gz, or gzipped here. */
		const gzipped = (file: string): number => {
			const local = join(side.dir, file);
			if (existsSync(`${local}.gz`)) return statSync(`${local}.gz`).size;
			return gzipSync(readFileSync(local), { level: 9 }).length;
		};
		const sum = (list: Fetched[]) => list.reduce((total, f) => total + gzipped(f.file), 0);
		const runsOf = results[i];
		const paint = median(runsOf.map((r) => r.paint));
		const before = median(runsOf.map((r) => sum(r.before)));
		const files = median(runsOf.map((r) => r.before.length));
		console.log(`| ${side.name} | ${Math.round(paint)} ms | ${kb(before)} | ${files} | ${kb(median(runsOf.map((r) => sum(r.scripts))))} | ${kb(median(runsOf.map((r) => sum(r.wasm))))} |`);
		const last = runsOf[runsOf.length - 1];
		const top = [...last.before]
			.sort((a, b) => gzipped(b.file) - gzipped(a.file))
			.slice(0, 5)
			.map((f) => `${f.file.split('/').pop()} ${kb(gzipped(f.file))}`);
		largest.push(`- ${side.name}: ${top.join(', ')}`);
	}
	console.log(`\nLargest files before the first paint (last run):\n${largest.join('\n')}`);
	console.log(`\nGoal (issue #17): at most 100 KB of gzipped JavaScript before the first paint.`);
} finally {
	await browser.close();
	await Promise.all(relays.map((relay) => relay.close()));
	rmSync(data, { recursive: true, force: true });
}
