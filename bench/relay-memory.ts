// A relay process of a benchmark answers "memory" over IPC with its memory after a full garbage
// collection, so that what a few hundred connections cost is not lost in garbage not yet collected.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryFigures {
	rss: number;
	/** JavaScript heap and memory outside it (Automerge's WebAssembly memory, buffers), after collection. */
	heapUsed: number;
	external: number;
	/** Compiled code within `heapUsed`: made once, as connections first run a path, not kept per connection. */
	code: number;
}

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
		process.send!({ memory: { rss, heapUsed, external, code } satisfies MemoryFigures });
	});
}
