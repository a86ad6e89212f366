// A device's connections to every relay its neighbourhood lists: one RelaySocket (network adapter)
// per relay in one Repo, so a change goes out through whichever relays are up and one relay going
// down is not noticed. Its own relay (the membership's) is the primary: only its door decides
// whether this device is in at all. Another relay that turns the device away is only unreachable
// for now: its copy of the access records may not have this device's credential yet (they are
// replicated between relays), so it is asked again a little later.
import type { PeerId, Repo } from '@automerge/automerge-repo/slim';
import { RelaySocket, type SocketState } from './relay-socket.ts';
import { relayAddress } from './relay-address.ts';

export interface RelayState {
	relay: string;
	state: SocketState;
}

const address = (relay: string) => relayAddress(relay) ?? relay;

export class RelaySockets {
	#repo: Repo | undefined;
	#key: string;
	#primary: string;
	#sockets = new Map<string, RelaySocket>();
	/** Relays no longer listed: kept until they have the root's latest change (see `drain`). */
	#draining = new Map<string, number>();
	#listeners = new Set<() => void>();
	#retries = new Map<string, ReturnType<typeof setTimeout>>();
	#make: (relay: string, key: string) => RelaySocket;
	#retryRefusedMs: number;
	#drainMs: number;

	constructor(
		primary: string,
		key: string,
		options: { make?: (relay: string, key: string) => RelaySocket; retryRefusedMs?: number; drainMs?: number } = {}
	) {
		this.#key = key;
		this.#primary = address(primary);
		this.#make = options.make ?? ((relay, k) => new RelaySocket(relay, k));
		this.#retryRefusedMs = options.retryRefusedMs ?? 30_000;
		this.#drainMs = options.drainMs ?? 30_000;
		this.#watch(this.#primary, this.#make(this.#primary, key));
	}

	/** The primary's socket, to pass to the Repo; the rest are added once `attach`ed. */
	get primary(): RelaySocket {
		return this.#sockets.get(this.#primary)!;
	}

	get primaryRelay(): string {
		return this.#primary;
	}

	/** Every relay with a connection, primary first. */
	get relays(): string[] {
		return [...this.#sockets.keys()];
	}

	attach(repo: Repo): void {
		this.#repo = repo;
		for (const [relay, socket] of this.#sockets) if (relay !== this.#primary) repo.networkSubsystem.addNetworkAdapter(socket);
	}

	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#changed() {
		for (const listener of this.#listeners) listener();
	}

	#watch(relay: string, socket: RelaySocket) {
		this.#sockets.set(relay, socket);
		socket.onState((state) => {
			if (state === 'refused' && relay !== this.#primary) this.#retryLater(relay, socket);
			this.#changed();
		});
	}

	#retryLater(relay: string, socket: RelaySocket) {
		clearTimeout(this.#retries.get(relay));
		this.#retries.set(
			relay,
			setTimeout(() => {
				this.#retries.delete(relay);
				if (this.#sockets.get(relay) !== socket || relay === this.#primary) return;
				this.#drop(relay);
				this.#add(relay);
				this.#changed();
			}, this.#retryRefusedMs)
		);
	}

	#add(relay: string) {
		const socket = this.#make(relay, this.#key);
		this.#watch(relay, socket);
		this.#repo?.networkSubsystem.addNetworkAdapter(socket);
	}

	#drop(relay: string) {
		const socket = this.#sockets.get(relay);
		if (!socket) return;
		this.#sockets.delete(relay);
		this.#draining.delete(relay);
		clearTimeout(this.#retries.get(relay));
		// automerge-repo 2.5.6 removes the adapter and disconnects it: the relay's peer is gone.
		if (this.#repo) this.#repo.networkSubsystem.removeNetworkAdapter(socket);
		else socket.disconnect();
	}

	/**
	 * Keeps a connection to exactly these relays (plus the primary). A relay that was dropped from
	 * the list drains first: devices that reach only that relay learn of the move from it.
	 */
	want(relays: readonly string[]): void {
		const wanted = new Set([this.#primary, ...relays.map(address)]);
		let changed = false;
		for (const relay of wanted) {
			this.#draining.delete(relay);
			if (!this.#sockets.has(relay)) {
				this.#add(relay);
				changed = true;
			}
		}
		for (const relay of this.#sockets.keys()) {
			if (!wanted.has(relay) && !this.#draining.has(relay)) this.#draining.set(relay, Date.now() + this.#drainMs);
		}
		if (changed) this.#changed();
	}

	/** Drops each draining relay once `done` says it has what it should have, it is down, or time is up. */
	drain(done: (socket: RelaySocket) => boolean): void {
		let changed = false;
		for (const [relay, deadline] of this.#draining) {
			const socket = this.#sockets.get(relay);
			if (!socket || socket.state !== 'open' || Date.now() > deadline || done(socket)) {
				this.#drop(relay);
				changed = true;
			}
		}
		if (changed) this.#changed();
	}

	/** Makes another (already connected) relay this device's own: moving house. */
	setPrimary(relay: string): void {
		const next = address(relay);
		if (!this.#sockets.has(next)) this.#add(next);
		this.#primary = next;
		clearTimeout(this.#retries.get(next));
		this.#changed();
	}

	socketOf(relay: string): RelaySocket | undefined {
		return this.#sockets.get(address(relay));
	}

	/** Connected sockets that have heard from their relay. */
	open(): RelaySocket[] {
		return [...this.#sockets.values()].filter((s) => s.state === 'open' && s.remotePeerId !== undefined);
	}

	/**
	 * Resolves once a relay answered this device's join, or none can be reached now (each socket
	 * closed or refused). automerge-repo's stock adapter counts itself ready a second after its
	 * socket opened, answered or not: a document asked for before the answer comes on a slow or
	 * busy line is "unavailable" while the relay has it.
	 */
	whenAnswered(): Promise<void> {
		return new Promise((resolve) => {
			const sockets = [...this.#sockets.values()];
			const unwatch: Array<() => void> = [];
			const check = () => {
				const settled = this.open().length > 0 || sockets.every((s) => s.state === 'closed' || s.state === 'refused');
				if (!settled) return;
				for (const stop of unwatch.splice(0)) stop();
				resolve();
			};
			for (const socket of sockets) {
				unwatch.push(socket.onState(check));
				socket.on('peer-candidate', check);
				unwatch.push(() => socket.off('peer-candidate', check));
			}
			check();
		});
	}

	/** Whether a peer is one of the relays (their notices count; another device's do not). */
	isRelay(peer: PeerId | string): boolean {
		return [...this.#sockets.values()].some((s) => s.remotePeerId === peer);
	}

	/** Each listed relay and how this device reaches it now; draining ones are left out. */
	states(): RelayState[] {
		return [...this.#sockets.entries()].filter(([relay]) => !this.#draining.has(relay)).map(([relay, socket]) => ({ relay, state: socket.state }));
	}

	stop(): void {
		for (const timer of this.#retries.values()) clearTimeout(timer);
		this.#retries.clear();
	}
}

/**
 * The relays that cannot be reached while at least one other can: what the status line names.
 * A relay still making its first connection is not unreachable yet. With none reachable the
 * device is offline, and the status line says so as it always did.
 */
export function unreachableRelays(states: readonly RelayState[]): string[] {
	if (!states.some((s) => s.state === 'open')) return [];
	return states.filter((s) => s.state === 'closed' || s.state === 'refused').map((s) => s.relay);
}
