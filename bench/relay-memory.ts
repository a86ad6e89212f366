// A relay process of a benchmark answers "memory" over IPC with its memory after a full garbage
// collection, so that what a few hundred connections cost is not lost in garbage not yet collected.
import { join } from 'node:path';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryFigures {
	rss: number;
	/** JavaScript heap and memory outside it (Automerge's WebAssembly memory, buffers), after collection. */
	heapUsed: number;
	external: number;
	/** Compiled code within `heapUsed`: made once, as connections first run a path, not kept per connection. */
	code: number;
}

/**
 * With NOABER_BENCH_SNAPSHOTS=<folder>, each answer also writes a heap snapshot there
 * (<pid>-<n>.heapsnapshot), to see what a connection keeps: compare two with bench/heap-diff.ts.
 */
const snapshots = process.env.NOABER_BENCH_SNAPSHOTS;
let answered = 0;

export function answerMemoryRequests(): void {
	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	process.on('message', (message) => {
		if (message !== 'memory') return;
		gc();
		gc();
		const { rss, heapUsed, external } = process.memoryUsage();
		const code = getHeapSpaceStatistics()
			.filter((space) => space.space_name.startsWith('code_'))
			.reduce((sum, space) => sum + space.space_used_size, 0);
		if (snapshots) writeHeapSnapshot(join(snapshots, `${process.pid}-${++answered}.heapsnapshot`));
		process.send!({ memory: { rss, heapUsed, external, code } satisfies MemoryFigures });
	});
}
