// The list of what the relay did not pass on, for the person to read and dismiss; the refused
// changes themselves are taken out by refused-changes.ts (in the page's repository, and in the
// documents worker's, which tells the page: `add`).
//
// Several tabs: each tab has its own Repo and relay connection; they share storage and sync over
// a BroadcastChannel. automerge-repo 2.5.6 passes an ephemeral message on to a document's other
// peers with its sender unchanged, so the relay's notice reaches the other tabs too, and each one
// takes the changes out of its own copy (senderId is still the relay's). Until every tab has, a
// tab that still holds a refused change can hand it back to one that took it out; that tab then
// offers it to the relay again, is refused again and takes it out again: it settles once every tab
// has the notice, at the cost of a few extra round trips. The replayed changes use a fresh actor,
// so two tabs never write one actor's sequence number twice. Both tabs write the same list entry
// (same id), and each tab's list follows the other's through the `storage` event.
import { addRefused, dismissRefused, readRefused, type RefusedEntry } from './refused-list.ts';
import { RefusedChanges, type RefusedChangesOptions } from './refused-changes.ts';

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;

export interface RefusalsOptions extends Omit<RefusedChangesOptions, 'told'> {
	/** The neighbourhood's root URL: the list is kept per neighbourhood. */
	root: string;
	/** Where the list is kept (localStorage in the app). */
	list?: KeyValue;
}

export class Refusals {
	/** What was not passed on, newest first. */
	items = $state<RefusedEntry[]>([]);
	#root: string;
	#list: KeyValue;
	#changes: RefusedChanges;

	constructor(options: RefusalsOptions) {
		this.#root = options.root;
		const memory = new Map<string, string>();
		this.#list = options.list ?? {
			getItem: (key) => memory.get(key) ?? null,
			setItem: (key, value) => void memory.set(key, value)
		};
		this.items = readRefused(this.#list, options.root);
		this.#changes = new RefusedChanges({ ...options, told: (entry) => this.add(entry) });
		if (typeof addEventListener === 'function') addEventListener('storage', this.#onStorage);
	}

	#onStorage = (event: StorageEvent) => {
		if (event.key === `noaber.refused.${this.#root}`) this.items = readRefused(this.#list, this.#root);
	};

	/** A refused change, also one the documents worker took out: listed for the person to read. */
	add(entry: RefusedEntry): void {
		this.items = addRefused(this.#list, this.#root, entry);
	}

	/** The person has read it. */
	dismiss(id: string): void {
		this.items = dismissRefused(this.#list, this.#root, id);
	}

	/** Resolves once every notice received so far has been handled. */
	settled(): Promise<void> {
		return this.#changes.settled();
	}

	stop(): void {
		this.#changes.stop();
		if (typeof removeEventListener === 'function') removeEventListener('storage', this.#onStorage);
	}
}
