// Worker half of generate-parallel.ts: generates the quarters it is given and sends their bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { generateQuarter, type Scale } from './generate-help.ts';

const { seed, scale, indices, now } = workerData as { seed: number; scale: Scale; indices: number[]; now: string };
for (const index of indices) {
	const quarter = generateQuarter(seed, scale, index, new Date(now));
	parentPort!.postMessage({ index, quarter }, [quarter.bytes.buffer as ArrayBuffer]);
}
