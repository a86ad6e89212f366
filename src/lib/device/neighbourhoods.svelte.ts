// The app's one piece of device state: which neighbourhoods this device belongs to and the open
// connection to the current one. Pages read it; only this module opens and closes connections.
import { browser } from '$app/environment';
import { Connection, type Target } from '../automerge/connection.svelte.ts';
import {
	currentMembership,
	loadMemberships,
	remove,
	saveMemberships,
	upsert,
	type Membership,
	type Memberships
} from './memberships.ts';

class Neighbourhoods {
	state = $state<Memberships>({ current: null, list: [] });
	connection = $state<Connection>();
	#opening: { target: Target; promise: Promise<Connection> } | undefined;

	constructor() {
		if (browser) this.state = loadMemberships(localStorage);
	}

	get current(): Membership | undefined {
		return currentMembership(this.state);
	}

	get list(): Membership[] {
		return this.state.list;
	}

	/** Opens (or reuses) the connection to a neighbourhood, closing any other one. */
	async connect(target: Target): Promise<Connection> {
		const same = (t: Target | undefined) => t?.root === target.root && t.key === target.key;
		if (this.connection && same(this.connection.target)) return this.connection;
		// Callers asking at once (the layout and a page) share one opening: two Repos on one
		// IndexedDB would do all the loading twice.
		if (this.#opening && same(this.#opening.target)) return this.#opening.promise;
		const before = this.#opening?.promise;
		const previous = this.connection;
		this.connection = undefined;
		const promise = (async () => {
			await before?.catch(() => undefined);
			await previous?.close();
			return Connection.open(target);
		})();
		const opening = { target, promise };
		this.#opening = opening;
		const opened = await promise;
		if (this.#opening !== opening) {
			// Another neighbourhood was asked for meanwhile: that one wins.
			await opened.close();
			return this.#opening ? this.#opening.promise : opened;
		}
		this.#opening = undefined;
		this.connection = opened;
		return opened;
	}

	/** Opens the current neighbourhood, if any. */
	async resume(): Promise<Connection | undefined> {
		const current = this.current;
		return current ? this.connect(current) : undefined;
	}

	remember(membership: Membership): void {
		this.state = upsert(this.state, membership);
		saveMemberships(localStorage, this.state);
	}

	async switchTo(root: string): Promise<void> {
		const membership = this.state.list.find((m) => m.root === root);
		if (!membership) return;
		this.remember(membership);
		await this.connect(membership);
	}

	async forget(root: string): Promise<void> {
		// Forget first, so nothing reopens it while its connection closes.
		this.state = remove(this.state, root);
		saveMemberships(localStorage, this.state);
		if (this.connection?.target.root === root) {
			const closing = this.connection;
			this.connection = undefined;
			await closing.close();
		}
	}

	/** Keeps the cached neighbourhood name fresh for the switcher. */
	rename(root: string, name: string): void {
		const membership = this.state.list.find((m) => m.root === root);
		if (!membership || membership.name === name) return;
		this.state = {
			...this.state,
			list: this.state.list.map((m) => (m.root === root ? { ...m, name } : m))
		};
		saveMemberships(localStorage, this.state);
	}
}

export const neighbourhoods = new Neighbourhoods();
