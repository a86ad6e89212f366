// The relay in a child process of its own, for measuring it: started with --expose-gc, it answers
// "probe" over the IPC channel with its heap after a full collection and what it holds per peer
// and per document. Only tests start it; the relay itself has no such endpoint.
import v8 from 'node:v8';
import { configFromEnv } from '../../relay/config.ts';
import { startRelay } from '../../relay/main.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !process.send) throw new Error('start with --expose-gc and an IPC channel');
const relay = await startRelay(configFromEnv());

process.on('message', (message: unknown) => {
	if (message === 'probe') {
		// Twice: the first collection runs finalizers that free more for the second.
		gc();
		gc();
		process.send!({ heap: v8.getHeapStatistics().used_heap_size, peers: relay.peers.state(), idle: relay.idle.state(), faults: relay.faults.counts });
	}
});
process.once('SIGTERM', () => void relay.close().then(() => process.exit(0)));
