// The pages a resident opens from the home screen, their code loaded and run ahead while the page is
// idle. Loaded at the tap, on the cheap phone (bench/member-device.ts) it was 35 to 60 ms of the
// tap's own task, before the page was even drawn; loaded at home just after joining, it was a task
// of 45 to 70 ms while the agenda's older years came in, so joining loads them while the resident
// types a name.
import { whenIdle, type Idle } from '../device/idle.ts';

/** The three modules' pages, in the order a resident most often opens them from the home screen. */
export const MODULE_PAGES = ['/hulp', '/agenda', '/kaart'] as const;

/**
 * Loads each page's code in turn, each after an idle moment of its own, and says how many loaded.
 * A page whose code cannot load now stops it quietly: the tap loads it as before. Once `stop` is
 * aborted no further page loads (the page that asked is gone, or busy).
 */
export async function preloadPages(paths: readonly string[], load: (path: string) => Promise<unknown>, idle: Idle = whenIdle, stop?: AbortSignal): Promise<number> {
	let loaded = 0;
	for (const path of paths) {
		try {
			await idle();
			if (stop?.aborted) return loaded;
			await load(path);
		} catch {
			return loaded;
		}
		loaded += 1;
	}
	return loaded;
}
