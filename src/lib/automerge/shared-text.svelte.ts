// A text field that several people type into at once. Every keystroke is written (so the words
// of each typist merge per character), and when someone else's words arrive, the typist's
// cursor is carried along with the text around it instead of jumping to the end.
import { getCursor, getCursorPosition, type Cursor, type Prop } from '@automerge/automerge/slim';
import type { DocHandle } from '@automerge/automerge-repo/slim';

type TextDoc = Record<string, unknown>;

export class SharedText {
	readonly #handle: DocHandle<TextDoc>;
	readonly #path: Prop[];
	readonly #write: (text: string) => void;
	#selection: [Cursor, Cursor] | undefined;
	/** What the document holds now. */
	text = $state('');
	#off: () => void;

	constructor(handle: DocHandle<unknown>, path: Prop[], write: (text: string) => void) {
		this.#handle = handle as DocHandle<TextDoc>;
		this.#path = path;
		this.#write = write;
		this.text = this.#read(this.#handle.doc());
		const onChange = ({ doc }: { doc: TextDoc }) => {
			this.text = this.#read(doc);
		};
		this.#handle.on('change', onChange);
		this.#off = () => this.#handle.off('change', onChange);
	}

	#read(doc: TextDoc | undefined): string {
		let value: unknown = doc;
		for (const key of this.#path) value = (value as Record<string | number, unknown> | undefined)?.[key];
		return typeof value === 'string' ? value : '';
	}

	/** The typist's new text. */
	type(text: string): void {
		if (text !== this.text) this.#write(text);
	}

	/** Remembers the selection as positions in the text that survive others' edits. */
	track(start: number, end: number): void {
		const doc = this.#handle.doc();
		if (!doc) return;
		try {
			this.#selection = [getCursor(doc, this.#path, start), getCursor(doc, this.#path, end)];
		} catch {
			this.#selection = undefined;
		}
	}

	/** Where the remembered selection is now, or undefined when there is none. */
	selection(): [number, number] | undefined {
		const doc = this.#handle.doc();
		if (!doc || !this.#selection) return undefined;
		try {
			return [getCursorPosition(doc, this.#path, this.#selection[0]), getCursorPosition(doc, this.#path, this.#selection[1])];
		} catch {
			return undefined;
		}
	}

	close(): void {
		this.#off();
	}
}
