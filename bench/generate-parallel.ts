// Generates the quarters on several worker threads: each quarter has its own seeded stream, so the
// result is the same board as `generate()`, in a fraction of the time on more than one core.
import { Worker } from 'node:worker_threads';
import { assemble, BENCH_NOW, generate, type Generated, type GeneratedPeriod, type Scale } from './generate-help.ts';

export async function generateParallel(seed: number, scale: Scale, workers = 2, now = BENCH_NOW): Promise<Generated> {
	if (workers <= 1) return generate(seed, scale, now);
	const periods: GeneratedPeriod[] = new Array(scale.periods);
	// Newer quarters are a little larger (livelier); dealing them out round-robin balances the load.
	const shares = Array.from({ length: workers }, (_, w) => [...periods.keys()].filter((i) => i % workers === w));
	await Promise.all(
		shares.map(
			(indices) =>
				new Promise<void>((resolve, reject) => {
					// tsx's loader is not inherited by workers: register it in the worker, then load the TypeScript.
					const script = new URL('./generate-worker.ts', import.meta.url).href;
					const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); })`;
					const worker = new Worker(boot, { eval: true, workerData: { seed, scale, indices, now: now.toISOString() } });
					worker.on('message', ({ index, quarter }: { index: number; quarter: GeneratedPeriod }) => {
						periods[index] = { ...quarter, bytes: new Uint8Array(quarter.bytes) };
					});
					worker.on('error', reject);
					worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator worker exited with ${code}`))));
				})
		)
	);
	return assemble(seed, scale, periods, now);
}
