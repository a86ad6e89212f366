// One device's copy of a document, changed the way a DocHandle changes it but without a repo:
// domain tests simulate several devices with it (fork, work offline, merge), and benchmarks
// write thousands of items through the same mutations far faster than through a handle.
import * as A from '@automerge/automerge/slim';

export class LocalDoc<T> {
	doc: A.Doc<T>;

	constructor(initial: T) {
		this.doc = A.change(A.init<T>(), (d) => void Object.assign(d as object, initial));
	}

	change(fn: A.ChangeFn<T>): void {
		this.doc = A.change(this.doc, fn);
	}

	/** As DocHandle.changeAt: the change is made as of earlier heads and merged in. */
	changeAt(heads: A.Heads, fn: A.ChangeFn<T>): void {
		this.doc = A.changeAt(this.doc, heads, fn).newDoc;
	}

	/** Another device with the same history, from here on working on its own (same class). */
	fork(): this {
		const copy = Object.create(Object.getPrototypeOf(this)) as this;
		copy.doc = A.clone(this.doc);
		return copy;
	}

	merge(other: LocalDoc<T>): void {
		this.doc = A.merge(this.doc, A.clone(other.doc));
	}
}
