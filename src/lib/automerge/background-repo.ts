// The background: a repository of its own in a worker, on the same storage as the page's, that
// opens the documents pages hand it and sends back each one's view. Opening an older year is one
// long wasm call (bench/member-device.ts: 2 s on the cheap phone); here it stalls no tap.
// Pages change what it holds by sending domain actions (`signUp`, …), which run here on the
// document; what the relay refuses is taken out here too, and the page is told, as of its own.
//
// In a SharedWorker every tab of the browser is a port of one host: tabs of one neighbourhood
// share one repository (one copy of each year in memory, one connection to the relay) and each
// tab hears about every change of what it asked for. A dedicated worker is a host with one port.
import { initializeWasm, isWasmInitialized } from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle, type PeerId } from '@automerge/automerge-repo/slim';
import { peerIdFor } from '../access/secret.ts';
import { ErasureCatchUp } from '../erase/catch-up.ts';
import type { BackgroundTarget, FromBackground, ToBackground } from './background-messages.ts';
import type { ModuleActions } from './module-documents.svelte.ts';
import { openDeviceStorage } from './device-storage.ts';
import { randomId } from './fields.ts';
import { RefusedChanges } from './refused-changes.ts';
import type { RefusedEntry } from './refused-list.ts';
import { RelaySockets } from './relay-sockets.ts';
import { RelaysHeard } from './relays-heard.ts';
import { contains, type Span } from './span.ts';

/**
 * Reads one document as its module's view, from plain data the page can take: `pieces` cuts it,
 * in pieces when it is large (`DocumentsDeclaration.pieces`), else as one, once a tab is sent the
 * view (a tab that holds the document is only told the time it covers); and that time, for a
 * module that keeps documents here until a page needs them (`DocumentsDeclaration.span`);
 * `within`, the pieces of the part of the view that covers a time (`DocumentsDeclaration.within`).
 */
export type PartReader = (url: string, doc: unknown) => { pieces: () => unknown[]; span?: Span; within?: (span: Span) => unknown[] };

/** How a port follows a document: told only that it is here (`held`), sent what covers a span, or the whole view. */
type Following = 'held' | Span | 'whole';

/**
 * A document's view to a page: one message per piece, so the page takes each in a short task.
 * Only the part within a span, if the port asked so and the document covers more.
 */
function sendView(port: Port, module: string, url: string, read: ReturnType<PartReader>, within?: Span): void {
	const covers = within && read.within && read.span && !contains(within, read.span) ? read.span : undefined;
	const pieces = covers && within && read.within ? read.within(within) : read.pieces();
	const extra = covers ? { covers } : {};
	if (pieces.length === 1) port.postMessage({ type: 'part', module, url, view: pieces[0], ...extra });
	else pieces.forEach((view, index) => port.postMessage({ type: 'part', module, url, view, piece: { index, count: pieces.length }, ...extra }));
}

/** What a port hears of a document it follows: its view (or part of it), or only that it is here and the time it covers. */
function tellRead(port: Port, following: Following, module: string, url: string, read: ReturnType<PartReader>): void {
	if (following === 'held') port.postMessage({ type: 'held', module, url, ...(read.span ? { span: read.span } : {}) });
	else sendView(port, module, url, read, following === 'whole' ? undefined : following);
}

export interface Port {
	postMessage(message: FromBackground): void;
	addEventListener(type: 'message', listener: (event: MessageEvent<ToBackground>) => void): void;
	close(): void;
}

/** A document not here that no relay reached has; `reached`: a relay was reached to say so. */
const lacking = (module: string, url: string, reached: boolean): FromBackground =>
	reached ? { type: 'lacking', module, url } : { type: 'lacking', module, url, offline: true };

/** One neighbourhood's repository in the background, shared by every port that asked for it. */
export interface Started {
	repo: Repo;
	/** Resolves once the first erasure check is done: a copy from before an erasure is not read, let alone passed on. */
	ready: Promise<unknown>;
	/**
	 * Resolves once the relay answered, or cannot be reached now. Said before that, a document not on
	 * the device would be lacking while it is on its way, and the page would say "Bijgewerkt" without
	 * it. One on the device is read without waiting: offline, the agenda shows sooner.
	 */
	answered: Promise<unknown>;
	/** The neighbourhood moved house: its documents come from this relay now. */
	follow(relay: string): void;
	/** Keeps a connection to each of these relays (and its own): what changes here reaches them all. */
	reach(relays: string[]): void;
	/** The relay said access changed: copies from before an erasure are replaced. */
	checkErasures(): void;
	/** Whether every relay this repository reaches has the document as it is here. */
	onRelays(handle: DocHandle<unknown>): boolean;
	/**
	 * Whether a document not here is on its way: a relay this repository reaches has not said it
	 * lacks it (as the page's own, synced-repo.svelte.ts). Offline nothing is on its way.
	 */
	coming(handle: DocHandle<unknown>): boolean;
	/** Whether this repository reaches a relay now. */
	reaching(): boolean;
	/** Calls back when that may have changed: a relay came or went, or said it lacks a document. */
	onReach(listener: () => void): void;
	/** Calls back with each change of this repository's that the relay refused (and that was taken out). */
	onRefused(listener: (entry: RefusedEntry) => void): void;
	stop(): Promise<void>;
}

export type Starter = (target: BackgroundTarget) => Promise<Started>;

/** A repository on the device's storage, connected to the neighbourhood's relays. */
export const startRepo: Starter = async (target) => {
	// The page's wasm, by its address: one download and one cached copy for both.
	if (!isWasmInitialized()) await initializeWasm(target.wasm);
	const storage = openDeviceStorage(target.root);
	const sockets = new RelaySockets(target.relay, target.key);
	const repo = new Repo({
		peerId: target.deviceId ? (peerIdFor(target.deviceId, randomId()) as PeerId) : undefined,
		storage,
		network: [sockets.primary]
	});
	sockets.attach(repo);
	// This repository holds copies too: one from before an erasure is replaced here as on the page.
	const erasures = new ErasureCatchUp({ repo, storage, relay: () => sockets.primaryRelay, credential: target.key, isRelay: (peer) => sockets.isRelay(peer) });
	const refusedListeners = new Set<(entry: RefusedEntry) => void>();
	const heard = new RelaysHeard(repo, sockets);
	// Only this device's own relay takes its changes out (as on the page: synced-repo.svelte.ts).
	const refusals = new RefusedChanges({
		repo,
		storage,
		isRelay: (peer) => peer === sockets.primary.remotePeerId,
		told: (entry) => refusedListeners.forEach((listener) => listener(entry))
	});
	return {
		repo,
		ready: erasures.check().catch(() => 0),
		answered: sockets.whenAnswered(),
		follow: (relay) => sockets.setPrimary(relay),
		reach: (relays) => sockets.want(relays),
		checkErasures: () => void erasures.check(),
		onRelays: (handle) => heard.allHold([handle]),
		onRefused: (listener) => void refusedListeners.add(listener),
		coming: (handle) => heard.coming(handle),
		reaching: () => sockets.open().some((socket) => socket.remotePeerId !== undefined),
		onReach: (listener) => heard.onChange(listener),
		stop: async () => {
			refusals.stop();
			sockets.stop();
			await repo.shutdown().catch(() => undefined);
		}
	};
};

/**
 * The ports that follow one document. `held`: those told only that it is here and the time it
 * covers, until they ask for its view (a page that shows this week needs no year of long ago);
 * `within`: those sent only the part that covers a time, until they ask for the whole.
 */
interface Followed {
	ports: Set<Port>;
	held: Set<Port>;
	within: Map<Port, Span>;
	reported: Promise<DocHandle<unknown>>;
	/** Sends a change that waits to be read (a burst is read once) now; set once the document is found. */
	sendWaiting?: () => Promise<void>;
}

function follows(followed: Omit<Followed, 'reported'>, port: Port, following: Following): void {
	followed.held.delete(port);
	followed.within.delete(port);
	if (following === 'held') followed.held.add(port);
	else if (following !== 'whole') followed.within.set(port, following);
}

const followingOf = (followed: Omit<Followed, 'reported'>, port: Port): Following => (followed.held.has(port) ? 'held' : (followed.within.get(port) ?? 'whole'));

/** A neighbourhood's repository and who follows which of its documents. */
interface Shared {
	started: Promise<Started>;
	ports: Set<Port>;
	/** Per document: the ports that asked for it, told of every change. */
	followers: Map<string, Followed>;
	/** Documents changed here by an action that not every relay has yet; the pages' status line waits for them. */
	unshared: Set<DocHandle<unknown>>;
	/** While something is unshared: looks again whether the relays have it. */
	watch?: ReturnType<typeof setInterval>;
}

/** How often the background looks whether the relays have what it changed: as the page's status line. */
const SHARED_CHECK_MS = 500;

export class BackgroundHost {
	readonly #readers: Record<string, PartReader>;
	readonly #actions: Record<string, ModuleActions>;
	readonly #start: Starter;
	/** By neighbourhood and credential: a tab of another neighbourhood gets a repository of its own. */
	readonly #shared = new Map<string, Shared>();

	constructor(readers: Record<string, PartReader>, actions: Record<string, ModuleActions>, start: Starter = startRepo) {
		this.#readers = readers;
		this.#actions = actions;
		this.#start = start;
	}

	/** Answers one page (a tab) on this port until it says it closes. */
	serve(port: Port): void {
		let shared: Shared | undefined;
		port.addEventListener('message', ({ data }) => {
			if (data.type === 'start') {
				if (shared) return;
				shared = this.#join(data.target, port);
				shared.started.catch(() => port.postMessage({ type: 'failed' }));
				return;
			}
			if (!shared) return;
			const { started } = shared;
			switch (data.type) {
				case 'read':
					for (const url of data.urls) {
						const following: Following = data.hold ? 'held' : (data.within ?? 'whole');
						void this.#follow(shared, port, data.module, url, following).catch(() => port.postMessage({ type: 'lacking', module: data.module, url }));
					}
					break;
				case 'show':
					for (const url of data.urls) void this.#show(shared, port, data.module, url);
					break;
				case 'act':
					void this.#act(shared, port, data).then(
						(result) => port.postMessage({ type: 'acted', id: data.id, result }),
						() => port.postMessage({ type: 'acted', id: data.id, failed: true })
					);
					break;
				case 'relay':
					void started.then((s) => s.follow(data.relay));
					break;
				case 'relays':
					void started.then((s) => s.reach(data.relays));
					break;
				case 'erasures':
					void started.then((s) => s.checkErasures());
					break;
				case 'close':
					void this.#leave(shared, port).finally(() => port.close());
					shared = undefined;
					break;
			}
		});
	}

	#join(target: BackgroundTarget, port: Port): Shared {
		const key = `${target.root} ${target.key}`;
		let shared = this.#shared.get(key);
		if (!shared) {
			shared = { started: this.#start(target), ports: new Set(), followers: new Map(), unshared: new Set() };
			this.#shared.set(key, shared);
			const made = shared;
			void made.started.then(
				// Each tab lists what the relay refused, as it does for its own changes.
				(s) => s.onRefused((entry) => made.ports.forEach((to) => to.postMessage({ type: 'refused', entry }))),
				// A start that failed is not kept: the next tab tries again.
				() => {
					if (this.#shared.get(key) === made) this.#shared.delete(key);
				}
			);
		}
		shared.ports.add(port);
		return shared;
	}

	/** The last tab of a neighbourhood closed: its repository goes, storage keeps what it wrote. */
	async #leave(shared: Shared, port: Port): Promise<void> {
		shared.ports.delete(port);
		for (const followed of shared.followers.values()) {
			followed.ports.delete(port);
			followed.held.delete(port);
			followed.within.delete(port);
		}
		if (shared.ports.size > 0) return;
		for (const [key, value] of this.#shared) if (value === shared) this.#shared.delete(key);
		clearInterval(shared.watch);
		const started = await shared.started.catch(() => undefined);
		await started?.stop();
	}

	async #follow(shared: Shared, port: Port, module: string, url: string, following: Following = 'whole'): Promise<void> {
		const read = this.#readers[module];
		if (!read) return;
		const followed = shared.followers.get(url);
		if (followed) {
			if (followed.ports.has(port)) return;
			// Followed for another tab already: once that tab heard, this one gets what is there now,
			// then every change.
			const handle = await followed.reported;
			followed.ports.add(port);
			follows(followed, port, following);
			const { coming, reaching } = await shared.started;
			if (handle.isReady()) tellRead(port, following, module, url, read(url, handle.doc()));
			else if (!coming(handle)) port.postMessage(lacking(module, url, reaching()));
			return;
		}
		const listeners = { ports: new Set([port]), held: new Set<Port>(), within: new Map<Port, Span>() };
		follows(listeners, port, following);
		const reported = this.#first(shared, module, url, read, listeners);
		shared.followers.set(url, { ...listeners, reported });
		await reported;
	}

	/**
	 * A page needs the whole view of a document it only heard is here, or was sent part of: it gets
	 * it now, and every change.
	 */
	async #show(shared: Shared, port: Port, module: string, url: string): Promise<void> {
		const followed = shared.followers.get(url);
		if (!followed?.ports.has(port)) return this.#follow(shared, port, module, url);
		if (followingOf(followed, port) === 'whole') return;
		follows(followed, port, 'whole');
		const handle = await followed.reported;
		const read = this.#readers[module];
		if (read && handle.isReady()) sendView(port, module, url, read(url, handle.doc()));
	}

	/** Runs a module's action on a document, followed for this port from now on if it was not. */
	async #act(shared: Shared, port: Port, act: Extract<ToBackground, { type: 'act' }>): Promise<unknown> {
		const run = this.#actions[act.module]?.[act.action];
		if (!run) throw new Error(`No action ${act.module}.${act.action}`);
		await this.#follow(shared, port, act.module, act.url);
		const handle = await shared.followers.get(act.url)?.reported;
		if (!handle?.isReady()) throw new Error('Not on this device');
		const result = run(handle as DocHandle<never>, ...(act.args as never[]));
		this.#changed(shared, handle);
		// Every tab hears what the action did before this one hears its answer: a page that goes to
		// the post it just made finds it there, rather than "niet gevonden" for a moment.
		await shared.followers.get(act.url)?.sendWaiting?.();
		// Answered once stored: a page that goes on (a joined profile forgotten from the membership)
		// must not lose the change with a worker that stops with its last tab. A device that cannot
		// store still gets the answer: the action was done here, and a "failed" would make the page
		// do it again on its own copy (a second post). The status line still waits for the relays.
		const { repo } = await shared.started;
		await repo.flush([handle.documentId]).catch(() => undefined);
		return result;
	}

	/** A document changed here: the pages hear whether the relays have it, until they do. */
	#changed(shared: Shared, handle: DocHandle<unknown>) {
		shared.unshared.add(handle);
		const tell = () => shared.ports.forEach((to) => to.postMessage({ type: 'unshared', count: shared.unshared.size }));
		tell();
		shared.watch ??= setInterval(() => {
			void shared.started.then((started) => {
				const before = shared.unshared.size;
				for (const h of shared.unshared) if (started.onRelays(h)) shared.unshared.delete(h);
				if (shared.unshared.size !== before) tell();
				if (shared.unshared.size === 0) {
					clearInterval(shared.watch);
					shared.watch = undefined;
				}
			});
		}, SHARED_CHECK_MS);
	}

	/** Finds a document for its first tabs, tells them, and tells every later tab of each change. */
	async #first(shared: Shared, module: string, url: string, read: PartReader, listeners: Omit<Followed, 'reported'>): Promise<DocHandle<unknown>> {
		const { ports } = listeners;
		const { repo, ready, answered, coming, reaching, onReach } = await shared.started;
		await ready;
		const handle = await repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		// Not here: lacking while no relay reached has it (or none is reached), coming again once one
		// may (back online).
		let told: 'lacking' | 'offline' | 'coming' = 'coming';
		const tell = () => {
			if (handle.isReady()) return;
			const now = coming(handle) ? 'coming' : reaching() ? 'lacking' : 'offline';
			if (now === told) return;
			told = now;
			for (const to of ports) to.postMessage(now === 'coming' ? { type: now, module, url } : lacking(module, url, now === 'lacking'));
		};
		let due: ReturnType<typeof setTimeout> | undefined;
		const send = async () => {
			due = undefined;
			if (!handle.isReady() || ports.size === 0) return;
			const made = read(url, handle.doc());
			// Reported once it is on the device: "Bijgewerkt" on the page promises it is.
			await repo.flush([handle.documentId]).catch(() => undefined);
			for (const to of ports) tellRead(to, followingOf(listeners, to), module, url, made);
		};
		// A burst of changes (a relay sending a year in parts) is read once.
		handle.on('change', () => (due ??= setTimeout(() => void send(), 50)));
		// Listed by `#follow` before the repository was started, so before this.
		const followed = shared.followers.get(url);
		if (followed)
			followed.sendWaiting = async () => {
				if (due === undefined) return;
				clearTimeout(due);
				await send();
			};
		if (handle.isReady()) await send();
		else {
			await answered;
			onReach(tell);
			tell();
		}
		return handle;
	}
}
