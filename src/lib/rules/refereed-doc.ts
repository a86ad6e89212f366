// A device's copy of a document whose every change is judged the way the relay judges it, with a
// relay copy that takes only what the rules accept. Tests run the app's real mutations through it
// (it changes like a DocHandle) to show which changes an honest device makes pass, and that a
// hostile one's do not reach anyone.
import * as A from '@automerge/automerge/slim';
import { placerOf, readChanges } from './edits.ts';
import { judge, type Refused, type Rule, type Who } from './judge.ts';
import { judgeBetween } from './between.ts';

export class RefereedDoc<T> {
	refused: Refused[] = [];

	constructor(
		readonly rule: Rule,
		public who: Who,
		public current: A.Doc<T>
	) {}

	/** As DocHandle.change: the change is judged against the document as it was. */
	change(fn: A.ChangeFn<T>): void {
		// Automerge 3 changes a document in place: judge against an untouched copy.
		const after = A.change(A.clone(this.current), fn);
		this.refused.push(...judgeBetween(this.rule, this.current, after, this.who).refused);
		this.current = after;
	}

	changeAt(heads: A.Heads, fn: A.ChangeFn<T>): void {
		const after = A.changeAt(A.clone(this.current), heads, fn).newDoc;
		this.refused.push(...judgeBetween(this.rule, this.current, after, this.who).refused);
		this.current = after;
	}

	/** As DocHandle.doc, for mutations that read through the handle (migrations, repair, healing). */
	doc(): A.Doc<T> {
		return this.current;
	}
}

/** The relay's copy: takes from a device what the rules accept, and says what it refused. */
export class RefereeCopy<T> {
	constructor(
		readonly rule: Rule,
		public doc: A.Doc<T>
	) {}

	/** Judges what `device` has that this copy lacks, as coming from `who`, and applies the rest. */
	receive(device: A.Doc<T>, who: Who): Refused[] {
		// Not A.getChanges(this.doc, device): when this copy has heads the device lacks, Automerge 3.5
		// returns changes this copy already holds as well.
		const changes = A.getAllChanges(device).filter((bytes) => !A.hasHeads(this.doc, [A.decodeChange(bytes).hash!]));
		if (changes.length === 0) return [];
		const read = readChanges(changes, placerOf(this.doc));
		const verdict = judge(this.rule, read, who, this.doc);
		const accepted = new Set(verdict.accepted.map((c) => c.hash));
		const kept = changes.filter((bytes) => accepted.has(A.decodeChange(bytes).hash!));
		[this.doc] = A.applyChanges(A.clone(this.doc), kept);
		return verdict.refused;
	}
}
