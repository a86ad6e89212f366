// Older quarters and years wait until every module's recent documents are open: opening is work
// on the one main thread, and what a page shows first should not queue behind ten years. The
// module of the page the app opens on goes before the others' recent documents, for the same
// reason: the agenda's week should not wait for the help board's quarters.

export class FirstDocuments {
	readonly ready: Promise<void>;
	#release: () => void = () => {};
	#waiting = new Set<string>();
	#released = false;
	readonly #focus: string | undefined;
	readonly #focusOpen: Promise<void>;
	#openFocus: () => void = () => {};

	/** `focus`: the module whose recent documents open before every other module's. */
	constructor(focus?: string) {
		this.ready = new Promise<void>((resolve) => (this.#release = resolve));
		this.#focus = focus;
		this.#focusOpen = new Promise<void>((resolve) => (this.#openFocus = resolve));
	}

	/** A module with recent documents to open before anyone's older ones. */
	wait(module: string): void {
		if (!this.#released) this.#waiting.add(module);
	}

	/** Resolves when `module` may open its recent documents: at once for the focus, or without one. */
	turn(module: string): Promise<void> {
		return this.#focus === undefined || this.#focus === module ? Promise.resolve() : this.#focusOpen;
	}

	/** That module's recent documents are open. */
	done(module: string): void {
		if (module === this.#focus) this.#openFocus();
		this.#waiting.delete(module);
		if (this.#waiting.size === 0) this.releaseAll();
	}

	/** Everything may come now: every module is done, or one has nothing recent to show in time. */
	releaseAll(): void {
		this.#released = true;
		this.#waiting.clear();
		this.#openFocus();
		this.#release();
	}
}
