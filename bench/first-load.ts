// Figures of issue #17's "small first load", on the built app served by the relay: the JavaScript
// a browser fetched before the first contentful paint of the welcome page, gzipped as the relay
// serves it (its precompressed .gz files), and all JavaScript and WebAssembly fetched by the time
// the page is quiet; the largest files of each. The goal: at most 100 KB gzipped before the first
// paint.
//   npm run build && npx tsx bench/first-load.ts [--path /]
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startRelay } from '../relay/main.ts';
import { builtApp, launchChromium } from './browser.ts';

const at = process.argv.indexOf('--path');
const path = at >= 0 ? process.argv[at + 1] : '/';
const app = builtApp();
const data = mkdtempSync(join(tmpdir(), 'noaber-bench-first-load-'));
const relay = await startRelay({ port: 0, host: '127.0.0.1', data, publicUrl: undefined, app, logLevel: 'warn' });
const browser = await launchChromium();

interface Fetched {
	file: string;
	/** Milliseconds after navigation start when the last byte arrived. */
	end: number;
}

/** Bytes of the file as the relay sends it to a browser that takes gzip: its .gz beside it, or gzipped here. */
function gzipped(file: string): number {
	const local = join(app, file);
	if (existsSync(`${local}.gz`)) return statSync(`${local}.gz`).size;
	return gzipSync(readFileSync(local), { level: 9 }).length;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
try {
	const context = await browser.newContext({ locale: 'nl-NL' });
	const page = await context.newPage();
	await page.goto(`http://localhost:${relay.port}${path}`, { waitUntil: 'networkidle' });
	await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
	const { paint, fetched } = await page.evaluate(() => ({
		paint: performance.getEntriesByName('first-contentful-paint')[0].startTime,
		fetched: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ file: new URL(r.name).pathname, end: r.responseEnd }))
	}));
	const ours = (f: Fetched) => existsSync(join(app, f.file));
	const scripts = fetched.filter((f) => f.file.endsWith('.js') && ours(f));
	const wasm = fetched.filter((f) => f.file.endsWith('.wasm') && ours(f));
	const beforePaint = scripts.filter((f) => f.end <= paint);
	const sum = (list: Fetched[]) => list.reduce((total, f) => total + gzipped(f.file), 0);
	const largest = (list: Fetched[]) =>
		[...list]
			.sort((a, b) => gzipped(b.file) - gzipped(a.file))
			.slice(0, 5)
			.map((f) => `${f.file.split('/').pop()} ${kb(gzipped(f.file))}`)
			.join(', ');
	console.log(`Page ${path}: first contentful paint at ${Math.round(paint)} ms (no throttling)`);
	console.log('| measure | files | gzipped | largest |\n|---|---|---|---|');
	console.log(`| JavaScript before the first paint | ${beforePaint.length} | ${kb(sum(beforePaint))} | ${largest(beforePaint)} |`);
	console.log(`| JavaScript by the time the page is quiet | ${scripts.length} | ${kb(sum(scripts))} | ${largest(scripts)} |`);
	console.log(`| WebAssembly by then | ${wasm.length} | ${kb(sum(wasm))} | ${largest(wasm)} |`);
	console.log(`\nGoal (issue #17): at most 100 KB of gzipped JavaScript before the first paint.`);
	await context.close();
} finally {
	await browser.close();
	await relay.close();
	rmSync(data, { recursive: true, force: true });
}
