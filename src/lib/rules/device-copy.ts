// One device's copy of a document that judges every change it makes with the rules the relay
// applies, as the relay would on arrival: against the state the device made it on. It takes the
// place of a DocHandle for the domain mutations (they only call `change`/`changeAt`), so tests can
// run the app's real mutations and see what the relay would say.
import * as A from '@automerge/automerge/slim';
import { placerOf, readChanges } from './edits.ts';
import { judge, type Refused, type Rule, type Who } from './judge.ts';

export class DeviceCopy<T> {
	/** Every refusal of a change this copy made, in order. */
	readonly refused: Refused[] = [];
	/**
	 * The same document one change behind, to judge against. Automerge 3 changes a document in
	 * place, and cloning before every change costs milliseconds: a second copy that takes each
	 * change after it is judged costs almost nothing.
	 */
	#before: A.Doc<T>;

	constructor(
		public doc: A.Doc<T>,
		readonly rule: Rule,
		public who: Who
	) {
		this.#before = A.clone(doc);
	}

	change(fn: A.ChangeFn<T>): void {
		this.doc = A.change(this.doc, fn);
		this.#judge();
	}

	changeAt(heads: A.Heads, fn: A.ChangeFn<T>): void {
		this.doc = A.changeAt(this.doc, heads, fn).newDoc;
		this.#judge();
	}

	/** What another copy holds, merged in: not judged, it is not this device's change. */
	merge(other: A.Doc<T>): void {
		this.doc = A.merge(this.doc, other);
		this.#before = A.merge(this.#before, other);
	}

	#judge() {
		const changes = A.getChanges(this.#before, this.doc);
		if (changes.length === 0) return;
		const read = readChanges(changes, placerOf(this.#before));
		this.refused.push(...judge(this.rule, read, this.who, this.#before).refused);
		[this.#before] = A.applyChanges(this.#before, changes);
	}
}
