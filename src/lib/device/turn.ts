// Work that follows from one event (a document that arrived) is done in turns of the page's event
// loop, not all in the event's own task: on the cheap phone the root's arrival and all it set off
// (reading it, healing it, finding the relays, opening the members) was one task of a third of a
// second, and a tap in it waited for all of it (bench/member-device.ts --trace).

/** Resolves in a later task, after the page had its turn to answer a tap and paint. */
export function nextTurn(): Promise<void> {
	const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
	// Chromium's: the rest comes before other waiting work, once input and painting had their turn.
	if (typeof scheduler?.yield === 'function') return scheduler.yield();
	return new Promise((resolve) => setTimeout(resolve, 0));
}
