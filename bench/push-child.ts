// The relay of bench/push.ts in a process of its own, so its CPU and memory are the relay's alone.
// News items come in over IPC and go to the relay's push callback (or, with BENCH_PUSH=off, are
// dropped there: the same relay with notifications off). It answers `stats` with its CPU time,
// memory and when each item reached the callback.
import { configFromEnv } from '../relay/config.ts';
import { startRelay } from '../relay/main.ts';
import type { Clock } from '../relay/push/schedule.ts';
import type { NewsItem } from '../src/lib/news/item.ts';
import { testText } from '../tests/relay/push-world.ts';

const on = process.env.BENCH_PUSH !== 'off';
// Real time moved to ten in the morning in Amsterdam: a run at night would otherwise measure quiet hours.
const now = new Date();
const shift = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9) - now.getTime();
const daytime: Clock = {
	now: () => Date.now() + shift,
	setTimer: (run, ms) => setTimeout(run, ms).unref(),
	clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout)
};

const relay = await startRelay({ ...configFromEnv(), limits: {}, push: { text: testText, clock: daytime } });
const reached: Array<[string, number]> = [];
const wall = () => performance.timeOrigin + performance.now();

type Message = { type: 'items'; items: Array<{ neighbourhood: string; item: NewsItem }> } | { type: 'stats' } | { type: 'stop' };
process.on('message', (message: Message) => {
	if (message.type === 'items') {
		for (const { neighbourhood, item } of message.items) {
			reached.push([item.id, wall()]);
			if (on) relay.push.news(neighbourhood, item);
		}
	} else if (message.type === 'stats') {
		globalThis.gc?.();
		process.send!({ type: 'stats', cpu: process.cpuUsage(), memory: process.memoryUsage(), reached: reached.splice(0) });
	} else if (message.type === 'stop') {
		void relay.close().then(() => process.exit(0));
	}
});
process.send!({ type: 'ready', port: relay.port, subscriptions: relay.push.subscriptions.size });
