// What unloading frees is freed only once V8 collects: the JavaScript copy of each document and,
// through Automerge's finalizers, its WebAssembly memory. V8 sees only the small JavaScript
// wrappers and can wait a long time, while the relay keeps taking more WebAssembly memory, which it
// never gives back. So after documents were unloaded the relay asks for a full collection itself,
// at most once per `minIntervalMs`: a pause of some tens of milliseconds every few minutes.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type Collect = () => void;

/** V8's collector, made callable without starting Node with --expose-gc. */
function fullCollection(): (() => void) | undefined {
	if (typeof globalThis.gc === 'function') return globalThis.gc;
	setFlagsFromString('--expose-gc');
	// A new context sees the flag; this one was set up before it.
	const gc = runInNewContext('gc') as unknown;
	return typeof gc === 'function' ? (gc as () => void) : undefined;
}

export function collector(minIntervalMs: number, { now = () => Date.now(), gc = fullCollection() } = {}): Collect {
	let last = -Infinity;
	return () => {
		if (!gc || now() - last < minIntervalMs) return;
		last = now();
		gc();
	};
}
