// A Chromium performance trace of one page (DevTools' timeline and its JavaScript sampler), for
// telling what a long task is made of, and how much of it the thread itself ran. Written beside a
// small file of moments in the trace's own clock, so bench/long-tasks.ts can tell which tasks fell
// in the window measured.
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';

const TIMELINE = [
	'devtools.timeline',
	'disabled-by-default-devtools.timeline',
	'disabled-by-default-devtools.timeline.frame',
	'toplevel',
	'v8.execute',
	'blink.user_timing'
];
// `--no-sampler`: the timeline only, without the JavaScript sampler that slows the page: each
// task's time and the thread's own time in it come out nearer to a run without a trace.
const CATEGORIES = process.argv.includes('--no-sampler') ? TIMELINE : [...TIMELINE, 'disabled-by-default-v8.cpu_profiler'];

export interface Moments {
	/** Names to the page's clock (performance.now, ms); saved in the trace's clock (µs). */
	[name: string]: number;
}

export interface Recording {
	/** Stops, and writes the trace to `file` and the moments to `file` + '.moments.json'. */
	save(file: string, moments: Moments): Promise<void>;
}

export async function recordTrace(context: BrowserContext, page: Page): Promise<Recording> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Tracing.start', {
		transferMode: 'ReturnAsStream',
		traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: CATEGORIES }
	});
	return {
		async save(file, moments) {
			// A mark's time in the trace against the page's clock at that mark.
			const now = await page.evaluate(() => {
				performance.mark('noaber-clock');
				return performance.getEntriesByName('noaber-clock').at(-1)!.startTime;
			});
			const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (event) => resolve(event.stream!)));
			await cdp.send('Tracing.end');
			const text = await readStream(cdp, await done);
			writeFileSync(file, text);
			const events = (JSON.parse(text) as { traceEvents: { name: string; ts: number; cat: string }[] }).traceEvents;
			const mark = events.find((e) => e.name === 'noaber-clock' && e.cat.includes('user_timing'));
			if (!mark) throw new Error('the trace has no clock mark');
			const offset = mark.ts - now * 1000;
			writeFileSync(`${file}.moments.json`, JSON.stringify(Object.fromEntries(Object.entries(moments).map(([name, at]) => [name, offset + at * 1000]))));
		}
	};
}

async function readStream(cdp: CDPSession, handle: string): Promise<string> {
	const parts: string[] = [];
	for (;;) {
		const chunk = await cdp.send('IO.read', { handle, size: 4 * 1024 * 1024 });
		parts.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
		if (chunk.eof) break;
	}
	await cdp.send('IO.close', { handle });
	return parts.join('');
}
