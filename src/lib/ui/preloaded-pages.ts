// The pages a resident opens from the home screen, their code loaded and run ahead while the page is
// idle. Loaded at the tap, on the cheap phone (bench/member-device.ts) it was 35 to 60 ms of the
// tap's own task, before the page was even drawn.
import { whenIdle, type Idle } from '../device/idle.ts';

/**
 * Loads each page's code in turn, each after an idle moment of its own, and says how many loaded.
 * A page whose code cannot load now stops it quietly: the tap loads it as before.
 */
export async function preloadPages(paths: readonly string[], load: (path: string) => Promise<unknown>, idle: Idle = whenIdle): Promise<number> {
	let loaded = 0;
	for (const path of paths) {
		try {
			await idle();
			await load(path);
		} catch {
			return loaded;
		}
		loaded += 1;
	}
	return loaded;
}
