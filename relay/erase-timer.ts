// Members who left are erased once the period their managers chose has passed (issue #14): checked
// an hour after the relay starts and then once a day. A failed round is logged and tried again the
// next day; it never stops the relay.
import type { Eraser } from './erase.ts';
import type { Logger } from './log.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function startEraseTimer(eraser: Pick<Eraser, 'sweep'>, log: Logger, options: { firstMs?: number; everyMs?: number } = {}): { stop(): void; round(): Promise<void> } {
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const round = async () => {
		try {
			const erased = await eraser.sweep();
			if (erased > 0) log.info({ erased }, 'members who left long enough ago were erased');
		} catch (error) {
			log.error({ reason: (error as Error | undefined)?.name }, 'erasing members who left failed; trying again tomorrow');
		}
	};
	const schedule = (ms: number) => {
		if (stopped) return;
		timer = setTimeout(() => void round().finally(() => schedule(options.everyMs ?? DAY_MS)), ms);
		timer.unref();
	};
	schedule(options.firstMs ?? 60 * 60 * 1000);
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
		round
	};
}
