// The order in which a member's device fetches the app's parts as it starts. The page's first view
// (the home screen as this device last showed it) needs one small chunk; the neighbourhood's
// connection and the home page's news need most of the app's JavaScript. Asked for together, the
// browser fetched and compiled them in one queue: the home screen, ready to show, waited 0.5 s
// behind compiling what only the open documents use (a trace of bench/member-device.ts).
import { afterNextPaint } from '../automerge/next-paint.ts';

const needed = new Set<Promise<unknown>>();

/** Marks `load` as what the page's first view needs; returns it. */
export function neededFirst<T>(load: Promise<T>): Promise<T> {
	needed.add(load);
	const done = () => needed.delete(load);
	load.then(done, done);
	return load;
}

/**
 * Resolves once the page's first view is painted: a frame first (by then the page asked for what
 * it needs), then what it asked for (or `ms`, should that not come), and a frame again.
 */
export async function afterFirstView(ms = 2000): Promise<void> {
	await afterNextPaint();
	if (needed.size === 0) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
	await Promise.race([Promise.allSettled([...needed]), late]);
	clearTimeout(timer);
	await afterNextPaint();
}
