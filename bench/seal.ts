// The cost of end-to-end encryption (#14) on a mid-range phone: sealing a message to the
// conversation's readers and opening it, in Chromium with its CPU slowed 4x (and unslowed, for
// comparison). Runs the app's own crypto modules, bundled as they are, on the browser's WebCrypto.
//   npm run bench:seal [-- --runs 200]
import { build } from 'esbuild';
import { parseArgs } from 'node:util';
import { launchChromium } from './browser.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

const bundle = await build({ entryPoints: ['bench/seal-entry.ts'], bundle: true, format: 'iife', write: false, platform: 'browser', target: 'es2022' });
const script = bundle.outputFiles[0]!.text;

const browser = await launchChromium();
const page = await browser.newPage();
// localhost is a secure context, where WebCrypto is available.
await page.route('http://localhost/seal', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>seal</title>' }));
await page.goto('http://localhost/seal');
await page.addScriptTag({ content: script });

interface Timings {
	seal: number[];
	open: number[];
}

async function measure(): Promise<Timings> {
	return page.evaluate(async (n) => {
		type Api = {
			startRing: (m: string) => Promise<{ member: string }>;
			currentKey: (r: unknown) => { n: number; pub: string };
			seal: (t: string, r: unknown[], c: string) => Promise<string>;
			open: (s: string, r: unknown[], c: string) => Promise<string | undefined>;
		};
		const api = (globalThis as unknown as { noaberSeal: Api }).noaberSeal;
		// Poster, helper and the poster's intermediary: the usual readers of a conversation.
		const rings = await Promise.all(['anna-0001', 'bert-0001', 'vera-0001'].map((m) => api.startRing(m)));
		const readers = rings.map((ring) => ({ member: ring.member, ...api.currentKey(ring) }));
		const text = 'Ik kom zaterdag om tien uur met mijn heggenschaar. Zet u de poort open? '.repeat(4);
		const out = { seal: [] as number[], open: [] as number[] };
		for (let i = 0; i < n + 10; i += 1) {
			const context = `help/post/resp/${i}`;
			let t = performance.now();
			const sealed = await api.seal(text, readers, context);
			const sealMs = performance.now() - t;
			t = performance.now();
			const opened = await api.open(sealed, [rings[1]], context);
			const openMs = performance.now() - t;
			if (opened !== text) throw new Error('did not open');
			// The first runs warm up the engine and WebCrypto; they are not counted.
			if (i >= 10) {
				out.seal.push(sealMs);
				out.open.push(openMs);
			}
		}
		return out;
	}, runs);
}

const quantile = (list: number[], q: number) => {
	const sorted = [...list].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const row = (label: string, t: Timings) =>
	console.log(
		`${label.padEnd(22)} seal p50 ${quantile(t.seal, 0.5).toFixed(2)} ms, p95 ${quantile(t.seal, 0.95).toFixed(2)} ms · open p50 ${quantile(t.open, 0.5).toFixed(2)} ms, p95 ${quantile(t.open, 0.95).toFixed(2)} ms`
	);

console.log(`Sealing a 300-character message to 3 readers and opening it, ${runs} runs each (Chromium ${browser.version()})`);
row('no slowdown', await measure());
const cdp = await page.context().newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
row('CPU 4x slower (phone)', await measure());
await browser.close();
