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
	#opening: Promise<Connection> | undefined;

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
		if (this.connection?.target.root === target.root && this.connection.target.key === target.key) {
			return this.connection;
		}
		if (this.#opening) await this.#opening.catch(() => undefined);
		const previous = this.connection;
		this.connection = undefined;
		await previous?.close();
		this.#opening = Connection.open(target);
		this.connection = await this.#opening;
		this.#opening = undefined;
		return this.connection;
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
		if (this.connection?.target.root === root) {
			const closing = this.connection;
			this.connection = undefined;
			await closing.close();
		}
		this.state = remove(this.state, root);
		saveMemberships(localStorage, this.state);
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
