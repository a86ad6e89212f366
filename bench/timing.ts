// Measuring and printing, shared by the benchmarks.
import * as A from '@automerge/automerge/slim';

/** The middle value; for an even count the mean of the two middle ones (of two runs, their mean). */
export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
export const fmt = (ms: number): string => (ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`);
export const kb = (bytes: number): string => `${Math.round(bytes / 1024)} KB`;
export const mb = (bytes: number, digits = 2): string => `${(bytes / 1024 / 1024).toFixed(digits)} MB`;

export function time<T>(run: () => T): [T, number] {
	const start = performance.now();
	const result = run();
	return [result, performance.now() - start];
}

/** Median time of `runs` repetitions, and the last result; `discard` releases the others. */
export function timed<T>(runs: number, run: () => T, discard?: (result: T) => void): [T, number] {
	const times: number[] = [];
	let result!: T;
	for (let i = 0; i < runs; i += 1) {
		if (i > 0) discard?.(result);
		const [r, ms] = time(run);
		result = r;
		times.push(ms);
	}
	return [result, median(times)];
}

// Automerge documents live in wasm memory until freed; loading into an ever larger heap was
// measured 2–3× slower here, which is not what a device opening a page sees.
export const free = (docs: A.Doc<unknown>[]): void => docs.forEach((d) => A.free(d));

/** Lines printed as they are measured, and as a Markdown table at the end for a closing note. */
export function reporter() {
	const results: [string, string][] = [];
	return {
		report(what: string, value: string): void {
			results.push([what, value]);
			console.log(`  ${what}: ${value}`);
		},
		table(): void {
			console.log('\n| measure | value |\n|---|---|');
			for (const [what, value] of results) console.log(`| ${what} | ${value} |`);
		}
	};
}
