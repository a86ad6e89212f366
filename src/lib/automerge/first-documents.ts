// Older quarters and years wait until every module's recent documents are open: opening is work
// on the one main thread, and what a page shows first should not queue behind ten years.

export class FirstDocuments {
	readonly ready: Promise<void>;
	#release: () => void = () => {};
	#waiting = new Set<string>();
	#released = false;

	constructor() {
		this.ready = new Promise<void>((resolve) => (this.#release = resolve));
	}

	/** A module with recent documents to open before anyone's older ones. */
	wait(module: string): void {
		if (!this.#released) this.#waiting.add(module);
	}

	/** That module's recent documents are open. */
	done(module: string): void {
		this.#waiting.delete(module);
		if (this.#waiting.size === 0) this.releaseAll();
	}

	/** Everything may come now: every module is done, or one has nothing recent to show in time. */
	releaseAll(): void {
		this.#released = true;
		this.#waiting.clear();
		this.#release();
	}
}
