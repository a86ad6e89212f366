// A DocHandle as a Svelte 5 reactive value. Components read `current` and re-render on change;
// they never call Automerge themselves.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { createSubscriber } from 'svelte/reactivity';

export class ReactiveDoc<T> {
	#handle: DocHandle<T>;
	#doc: T | undefined;
	#subscribe: () => void;
	/** Whether an effect reads it now, so that changes come in through the handle's events. */
	#followed = false;

	constructor(handle: DocHandle<T>) {
		this.#handle = handle;
		this.#doc = handle.isReady() ? handle.doc() : undefined;
		this.#subscribe = createSubscriber((update) => {
			// The event payload carries the document: isReady() can still be false when it fires.
			const onChange = ({ doc }: { doc: T }) => {
				this.#doc = doc;
				update();
			};
			const onDelete = () => {
				this.#doc = undefined;
				update();
			};
			handle.on('change', onChange);
			handle.on('delete', onDelete);
			this.#followed = true;
			return () => {
				handle.off('change', onChange);
				handle.off('delete', onDelete);
				this.#followed = false;
			};
		});
	}

	get handle(): DocHandle<T> {
		return this.#handle;
	}

	get current(): T | undefined {
		// Unfollowed (no effect read it while it changed), what it kept may be old: the handle knows.
		if (!this.#followed && this.#handle.isReady()) this.#doc = this.#handle.doc();
		this.#subscribe();
		if (this.#doc === undefined && this.#handle.isReady()) this.#doc = this.#handle.doc();
		return this.#doc;
	}
}
