// A page load in its own process: a new device opens the root document and reads it. Loading a
// poisoned root can block a thread for minutes, which must not stop the benchmark's own clock.
// Started by hostile-cases.ts: node --import tsx bench/hostile-load.ts '<json LoadPlan>'
import type { AutomergeUrl } from '@automerge/automerge-repo/slim';
import { honestClient, type Target } from './hostile-peer.ts';

export interface LoadPlan extends Target {
	documentId: string;
	/** A key of the root map whose presence is reported. */
	mark: string;
}

const plan = JSON.parse(process.argv[2]) as LoadPlan;
const started = Date.now();
const device = honestClient(plan, { retryMs: 1000 });
for (;;) {
	const handle = await device
		.find<Record<string, unknown>>(`automerge:${plan.documentId}` as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] })
		.catch(() => undefined);
	if (handle?.isReady()) {
		const doc = handle.doc();
		console.log(JSON.stringify({ ms: Date.now() - started, has: plan.mark in doc }));
		break;
	}
	await new Promise((resolve) => setTimeout(resolve, 200));
}
process.exit(0);
