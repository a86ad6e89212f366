// One device's copy of a document that judges every change it makes with the rules the relay
// applies, as the relay would on arrival: against the state the device made it on. It takes the
// place of a DocHandle for the domain mutations (they only call `change`/`changeAt`), so tests can
// run the app's real mutations and see what the relay would say.
import * as A from '@automerge/automerge/slim';
import { judgeBetween } from './between.ts';
import type { Refused, Rule, Who } from './judge.ts';

export class DeviceCopy<T> {
	/** Every refusal of a change this copy made, in order. */
	readonly refused: Refused[] = [];

	constructor(
		public doc: A.Doc<T>,
		readonly rule: Rule,
		public who: Who
	) {}

	change(fn: A.ChangeFn<T>): void {
		// Automerge 3 changes a document in place: change a clone so `before` stays readable.
		this.#judged(this.doc, A.change(A.clone(this.doc), fn));
	}

	changeAt(heads: A.Heads, fn: A.ChangeFn<T>): void {
		this.#judged(this.doc, A.changeAt(A.clone(this.doc), heads, fn).newDoc);
	}

	/** What another copy holds, merged in: not judged, it is not this device's change. */
	merge(other: A.Doc<T>): void {
		this.doc = A.merge(A.clone(this.doc), other);
	}

	#judged(before: A.Doc<T>, after: A.Doc<T>) {
		this.refused.push(...judgeBetween(this.rule, before, after, this.who).refused);
		this.doc = after;
	}
}
