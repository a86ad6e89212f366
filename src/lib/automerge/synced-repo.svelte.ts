// One neighbourhood's automerge-repo on this device: stored in IndexedDB, shared with other tabs,
// synced with every relay the neighbourhood lists, and whether edits have reached them. It knows
// no module: the neighbourhood's connection (neighbourhood/connection.svelte.ts) says which
// documents are open.
// A Repo per neighbourhood, not per browser: each relay connection carries one neighbourhood's
// key, and one Repo cannot talk to the same relay twice under one peer id.
import { Repo, type AutomergeUrl, type DocHandle, type PeerId } from '@automerge/automerge-repo/slim';
import { BroadcastChannelNetworkAdapter } from '@automerge/automerge-repo-network-broadcastchannel';
import { randomId } from './fields.ts';
import { peerIdFor } from '../access/secret.ts';
import { RelaySocket, type Refusal, type Shut } from './relay-socket.ts';
import { RelaySockets, unreachableRelays, type RelayState } from './relay-sockets.ts';
import { Refusals } from './refusals.svelte.ts';
import { ErasureCatchUp } from '../erase/catch-up.ts';
import { openDeviceStorage } from './device-storage.ts';
import { StoredOnDevice, WatchedStorage } from './stored-on-device.ts';
import { RelaysHeard } from './relays-heard.ts';
import { documentIdOf } from './document-id.ts';

/** What the status line tells the resident. */
export type SyncStatus = 'connecting' | 'local' | 'sharing' | 'shared' | 'refused' | Refusal;

export interface Target {
	root: string;
	relay: string;
	/** What this device shows at the relay's door: its credential (or the old shared key). */
	key: string;
	/** This device's id, inside its credential; its peer ids carry it. */
	deviceId?: string;
}


export abstract class SyncedRepo {
	readonly target: Target;
	readonly repo: Repo;
	/** A connection to every relay the neighbourhood lists (relay-sockets.ts). */
	readonly relaySockets: RelaySockets;
	/** The socket to this device's own relay: its door decides whether the device is in. */
	get socket(): RelaySocket {
		return this.relaySockets.primary;
	}
	/** Each relay and whether this device reaches it now, own relay first. */
	relays = $state<RelayState[]>([]);
	/** Whether this page reaches a relay now. Reactive. */
	get reaching(): boolean {
		return this.relays.some((relay) => relay.state === 'open');
	}
	/** Relays down while another carries everything: the status line names them, calmly. */
	unreachable: string[] = $derived(unreachableRelays(this.relays));
	/** Changes of this device the relay did not pass on: taken out here, listed for the person. */
	readonly refusals: Refusals;
	readonly erasures: ErasureCatchUp;
	/** Why the relay will not let this device in, once status is 'refused'. */
	get shut(): Shut | undefined {
		return this.#refused ? this.socket.shut : undefined;
	}
	status = $state<SyncStatus>('connecting');
	// What reads `shut` (every page's view of the neighbourhood) follows only whether the relay
	// refused, not each word of the status line: it changes many times while documents come in.
	#refused = $derived(this.status === 'refused');
	#timer: ReturnType<typeof setInterval> | undefined;
	/** Documents whose every change recomputes the status at once, not up to a second later. */
	#watched = new WeakSet<DocHandle<unknown>>();
	#statusDue: ReturnType<typeof setTimeout> | undefined;
	// Once per task, not once per document: loading forty older years changes heads forty times in
	// a row, and each recompute reads the heads of every open document.
	#onHeads = () => {
		this.#statusDue ??= setTimeout(() => {
			this.#statusDue = undefined;
			this.#updateStatus();
		}, 0);
	};
	#accessListeners = new Set<() => void>();
	#moveListeners = new Set<(relay: string) => void>();
	#closed = false;
	#stored: StoredOnDevice;
	/** Documents asked for (from this device or a relay) whose answer has not come yet. */
	#finding = 0;
	/** What the relays said they lack and hold. */
	#heard: RelaysHeard;
	/** Counts what the relays said, so what reads `isComing` looks again. */
	#heardChanged = $state(0);

	protected constructor(target: Target) {
		this.target = target;
		this.relaySockets = new RelaySockets(target.relay, target.key);
		const id = documentIdOf(target.root);
		const storage = openDeviceStorage(target.root);
		const watched = new WatchedStorage(storage);
		this.repo = new Repo({
			// A peer id carries the device id: the relay lets no other device use it.
			peerId: target.deviceId ? (peerIdFor(target.deviceId, randomId()) as PeerId) : undefined,
			storage: watched,
			network: [this.socket, new BroadcastChannelNetworkAdapter({
					channelName: `noaber-${id}`,
					// automerge-repo 2.5.6 asks for no document until every adapter is ready, and this one
					// waits 1 s (its default) for other tabs. An open tab answers within milliseconds.
					peerWaitMs: 100
				})]
		});
		this.refusals = new Refusals({
			repo: this.repo,
			storage,
			root: target.root,
			// Only this device's own relay takes its changes out. Another listed relay also refuses
			// what this device merely passes on (another member's change that came here through the
			// first relay while it was down): the author's device brings those itself.
			isRelay: (peer) => peer === this.socket.remotePeerId,
			acceptedElsewhere: (documentId) => this.#heard.heads(documentId),
			list: localStorage
		});
		this.#stored = new StoredOnDevice(this.repo, watched);
		this.#stored.onWritten(() => {
			if (!this.#closed) this.#updateStatus();
		});
		this.relaySockets.attach(this.repo);
		this.#heard = new RelaysHeard(this.repo, this.relaySockets);
		this.#heard.onChange(() => {
			this.#heardChanged += 1;
			this.#onHeads();
		});
		this.relays = this.relaySockets.states();
		this.relaySockets.onChange(() => {
			this.relays = this.relaySockets.states();
			this.relaysChanged();
			this.#updateStatus();
		});
		// Erasures on the relay: copies here from before are replaced (erase/catch-up.ts).
		this.erasures = new ErasureCatchUp({
			repo: this.repo,
			storage,
			relay: () => this.relaySockets.primaryRelay,
			credential: target.key,
			isRelay: (peer) => this.relaySockets.isRelay(peer)
		});
		let wasOpen = false;
		this.relaySockets.onChange(() => {
			const open = this.socket.state === 'open';
			if (open && !wasOpen) void this.erasures.check();
			wasOpen = open;
		});
		this.onAccessChange(() => void this.erasures.check());
		this.#timer = setInterval(() => this.#updateStatus(), 1000);
		addEventListener('pagehide', this.#flush);
	}

	/** The document that lists the others: once every relay has it, a dropped relay may go. */
	protected abstract rootHandle(): DocHandle<unknown> | undefined;
	/** Every open document: "Bijgewerkt" once every relay this device reaches has them all. */
	protected abstract openHandles(): DocHandle<unknown>[];
	/** Whether what a page needs first has been read, from this device or a relay. */
	abstract get loaded(): boolean;
	/**
	 * Documents were opened: the status line looks again at once. Until then it could say
	 * "Bijgewerkt" for up to a second about what it saw before they came.
	 */
	protected documentsOpened(): void {
		this.#onHeads();
	}

	/** The relays changed (one came, went or took over). */
	protected relaysChanged(): void {}

	/** Whether changes this device made elsewhere (its documents worker) are not on every relay yet. */
	protected unsharedElsewhere(): boolean {
		return false;
	}

	protected get closed(): boolean {
		return this.#closed;
	}

	protected async find<T>(url: string): Promise<DocHandle<T>> {
		this.#finding += 1;
		try {
			// `unavailable` is not final: an offline device may get the document once the relay answers.
			return await this.repo.find<T>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		} finally {
			this.#finding -= 1;
			this.#onHeads();
		}
	}

	/**
	 * Whether documents this device needs are still on their way: "Bijgewerkt" waits for them, as a
	 * resident who closes the app at that word and opens it offline would miss them. A document no
	 * relay has is not on its way: each relay this device reaches said so, and the line does not
	 * wait for it. A document that was on its way when the connection dropped is still on its way:
	 * automerge-repo calls it unavailable then, and asks again once the relay is back.
	 */
	protected stillComing(): boolean {
		if (this.#finding > 0) return true;
		return this.openHandles().some((handle) => this.#heard.coming(handle));
	}

	/**
	 * Whether an open document that is not here yet is on its way: a relay this device reaches has
	 * not said it lacks it. Offline nothing is on its way.
	 */
	isComing(handle: DocHandle<unknown>): boolean {
		// Read for Svelte: a page that asked looks again when a relay comes, goes or says it lacks one.
		void this.#heardChanged;
		void this.relays;
		return this.#heard.coming(handle);
	}

	/** Calls back when the relay says access changed (roles, approvals): time to ask who we are. */
	onAccessChange(listener: () => void): void {
		this.#accessListeners.add(listener);
	}

	protected accessChanged(): void {
		for (const listener of this.#accessListeners) listener();
	}

	/** Calls back when this device followed its neighbourhood to another relay (moving house). */
	onMove(listener: (relay: string) => void): void {
		this.#moveListeners.add(listener);
	}

	protected moved(relay: string): void {
		for (const listener of this.#moveListeners) listener(relay);
	}

	#updateStatus() {
		if (this.socket.state === 'refused') {
			this.status = 'refused';
			return;
		}
		// A relay dropped from the list goes once it has the root as this device has it.
		const root = this.rootHandle();
		this.relaySockets.drain((socket) => (root?.isReady() ? this.#heard.holds(socket, [root]) : true));
		const open = this.relaySockets.open();
		const refusal = [this.socket, ...open].find((s) => s.refusal)?.refusal;
		if (open.length === 0) {
			this.status = refusal ?? (this.loaded ? 'local' : 'connecting');
			return;
		}
		const handles = this.#readyHandles();
		// Right after a change the line must not still say "Bijgewerkt": the person may close the
		// app, or print a poster whose public page reads what the relay has.
		for (const handle of handles) {
			if (this.#watched.has(handle)) continue;
			this.#watched.add(handle);
			handle.on('heads-changed', this.#onHeads);
		}
		const behind = !this.#heard.allHold(handles) || this.unsharedElsewhere();
		// Once everything is on the relays, whatever they turned away earlier has gone through after all.
		if (!behind) for (const socket of [this.socket, ...open]) socket.refusal = undefined;
		// "Bijgewerkt" also waits until this device has received what it needs and wrote it all
		// itself (stored-on-device.ts). Until then it says it is still sharing: another word
		// ("ophalen", "opslaan") would be read out by screen readers at every change.
		const done = !behind && this.#stored.holds(handles) && !this.stillComing();
		this.status = behind ? (refusal ?? 'sharing') : done ? 'shared' : 'sharing';
	}

	#readyHandles(): DocHandle<unknown>[] {
		return this.openHandles().filter((h) => h.isReady());
	}

	/**
	 * Resolves true once every relay this device reaches has this device's documents as it has them
	 * (a member who leaves: the neighbours must hear of it), false if that takes too long. Unlike
	 * "Bijgewerkt" it does not wait for documents still coming to this device.
	 */
	async whenShared(timeoutMs: number): Promise<boolean> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			this.#updateStatus();
			if (this.status !== 'refused' && this.#heard.allHold(this.#readyHandles()) && !this.unsharedElsewhere()) return true;
			if (Date.now() > deadline) return false;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	/** Writes a document's latest changes to this device's storage now, not at the next throttled save. */
	async keep(handle: DocHandle<unknown>): Promise<void> {
		await this.repo.flush([handle.documentId]);
	}

	/**
	 * The same for every document open on this page: new ones, and the root that now lists them.
	 * Only those that are ready: automerge-repo's own flush of all of them fails at the first that
	 * is still on its way, without waiting for the others.
	 */
	async keepAll(): Promise<void> {
		const ready = Object.values(this.repo.handles).filter((handle) => handle.isReady());
		await this.repo.flush(ready.map((handle) => handle.documentId));
	}

	/**
	 * automerge-repo writes to IndexedDB a moment after a change; a tab closed in that moment
	 * would lose it if the relay did not have it yet. Start writing now instead.
	 */
	#flush = () => {
		this.keepAll().catch(() => undefined);
	};

	async close(): Promise<void> {
		removeEventListener('pagehide', this.#flush);
		this.#closed = true;
		this.refusals.stop();
		this.relaySockets.stop();
		clearInterval(this.#timer);
		clearTimeout(this.#statusDue);
		try {
			await this.repo.shutdown();
		} catch {
			// A handle still requesting cannot be flushed; its data is not on this device anyway.
			this.repo.networkSubsystem.disconnect();
		}
	}
}
