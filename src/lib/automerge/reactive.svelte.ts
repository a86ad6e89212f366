// A DocHandle as a Svelte 5 reactive value. Components read `current` and re-render on change;
// they never call Automerge themselves.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { createSubscriber } from 'svelte/reactivity';

export class ReactiveDoc<T> {
	#handle: DocHandle<T>;
	#doc: T | undefined;
	#subscribe: () => void;

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
			return () => {
				handle.off('change', onChange);
				handle.off('delete', onDelete);
			};
		});
	}

	get handle(): DocHandle<T> {
		return this.#handle;
	}

	get current(): T | undefined {
		this.#subscribe();
		if (this.#doc === undefined && this.#handle.isReady()) this.#doc = this.#handle.doc();
		return this.#doc;
	}
}
