// Forms are saved "as of when they were opened": the change is applied at the heads the form
// started from, so text someone else changed meanwhile merges per character instead of being
// overwritten by the form's older copy.
import type { ChangeFn } from '@automerge/automerge/slim';

/** Anything that applies a change: a DocHandle in the app, a plain document in tests. */
export interface ChangingHandle<T> {
	change(fn: ChangeFn<T>): unknown;
}

/** A handle that can also apply a change as of earlier heads (`DocHandle.changeAt`). */
export interface BasedHandle<T, H> extends ChangingHandle<T> {
	changeAt(heads: H, fn: ChangeFn<T>): unknown;
}

/** Writes at `base` when given and possible, else on top of the current document. */
export function writer<T, H>(handle: ChangingHandle<T> | BasedHandle<T, H>, base: H | undefined): (fn: ChangeFn<T>) => void {
	if (base !== undefined && 'changeAt' in handle) return (fn) => void handle.changeAt(base, fn);
	return (fn) => void handle.change(fn);
}
