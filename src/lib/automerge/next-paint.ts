// Opening a document is one long piece of work on the main thread. Started before the browser
// painted what a page already has (the home screen needs only the root and the members), it made
// that paint wait for seconds on a cheap phone: sometimes 2 s, sometimes 5 s, by chance.

/** Waits until the browser has painted the page as it is now; a hidden page, which paints nothing, waits at most `ms`. */
export function afterNextPaint(ms = 100): Promise<void> {
	if (typeof requestAnimationFrame !== 'function') return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		// A frame's callbacks run before its paint; the task after them comes once it is on screen.
		requestAnimationFrame(() =>
			setTimeout(() => {
				clearTimeout(timer);
				resolve();
			}, 0)
		);
	});
}
