// Work the page does ahead of time (Automerge's first calls, the pages' code) waits for moments when
// nothing else runs: on the cheap phone each step is a task of tens of milliseconds, and a tap that
// came during it would wait.

/** Waits until the page has nothing else to do (or the next turn, where the browser cannot say). */
export type Idle = () => Promise<void>;

export const whenIdle: Idle = () =>
	new Promise((resolve) => {
		if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 2000 });
		else setTimeout(resolve, 0);
	});
