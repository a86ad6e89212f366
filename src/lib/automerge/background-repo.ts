// The background: a repository of its own in a worker, on the same storage as the page's, that
// opens the documents pages hand it and sends back each one's view. Opening an older year is one
// long wasm call (bench/member-device.ts: 2 s on the cheap phone); here it stalls no tap.
// It only reads: every change is made on the page, which opens a document when it needs to.
//
// In a SharedWorker every tab of the browser is a port of one host: tabs of one neighbourhood
// share one repository (one copy of each year in memory, one connection to the relay) and each
// tab hears about every change of what it asked for. A dedicated worker is a host with one port.
import { initializeWasm, isWasmInitialized } from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type DocHandle, type PeerId } from '@automerge/automerge-repo/slim';
import { peerIdFor } from '../access/secret.ts';
import { ErasureCatchUp } from '../erase/catch-up.ts';
import type { BackgroundTarget, FromBackground, ToBackground } from './background-messages.ts';
import { openDeviceStorage } from './device-storage.ts';
import { randomId } from './fields.ts';
import { RelaySockets } from './relay-sockets.ts';

/** Reads one document as its module's view, from plain data the page can take. */
export type PartReader = (url: string, doc: unknown) => unknown;

export interface Port {
	postMessage(message: FromBackground): void;
	addEventListener(type: 'message', listener: (event: MessageEvent<ToBackground>) => void): void;
	close(): void;
}

/** One neighbourhood's repository in the background, shared by every port that asked for it. */
export interface Started {
	repo: Repo;
	/**
	 * Resolves once the first documents may be asked for: the first erasure check is done (a copy
	 * from before an erasure is not read, let alone passed on) and the relay answered, or cannot be
	 * reached now. Asked before that, a document not on the device would be reported lacking while
	 * it is on its way, and the page would say "Bijgewerkt" without it.
	 */
	ready: Promise<unknown>;
	/** The neighbourhood moved house: its documents come from this relay now. */
	follow(relay: string): void;
	/** The relay said access changed: copies from before an erasure are replaced. */
	checkErasures(): void;
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
	return {
		repo,
		ready: Promise.all([erasures.check().catch(() => 0), sockets.whenAnswered()]),
		follow: (relay) => sockets.setPrimary(relay),
		checkErasures: () => void erasures.check(),
		stop: async () => {
			sockets.stop();
			await repo.shutdown().catch(() => undefined);
		}
	};
};

/** A neighbourhood's repository and who follows which of its documents. */
interface Shared {
	started: Promise<Started>;
	ports: Set<Port>;
	/** Per document: the ports that asked for it, told of every change. */
	followers: Map<string, { ports: Set<Port>; reported: Promise<DocHandle<unknown>> }>;
}

export class BackgroundHost {
	readonly #readers: Record<string, PartReader>;
	readonly #start: Starter;
	/** By neighbourhood and credential: a tab of another neighbourhood gets a repository of its own. */
	readonly #shared = new Map<string, Shared>();

	constructor(readers: Record<string, PartReader>, start: Starter = startRepo) {
		this.#readers = readers;
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
						void this.#follow(shared, port, data.module, url).catch(() => port.postMessage({ type: 'lacking', module: data.module, url }));
					}
					break;
				case 'relay':
					void started.then((s) => s.follow(data.relay));
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
			shared = { started: this.#start(target), ports: new Set(), followers: new Map() };
			this.#shared.set(key, shared);
			const failed = shared;
			// A start that failed is not kept: the next tab tries again.
			shared.started.catch(() => {
				if (this.#shared.get(key) === failed) this.#shared.delete(key);
			});
		}
		shared.ports.add(port);
		return shared;
	}

	/** The last tab of a neighbourhood closed: its repository goes, storage keeps what it wrote. */
	async #leave(shared: Shared, port: Port): Promise<void> {
		shared.ports.delete(port);
		for (const followed of shared.followers.values()) followed.ports.delete(port);
		if (shared.ports.size > 0) return;
		for (const [key, value] of this.#shared) if (value === shared) this.#shared.delete(key);
		const started = await shared.started.catch(() => undefined);
		await started?.stop();
	}

	async #follow(shared: Shared, port: Port, module: string, url: string): Promise<void> {
		const read = this.#readers[module];
		if (!read) return;
		const followed = shared.followers.get(url);
		if (followed) {
			if (followed.ports.has(port)) return;
			// Followed for another tab already: once that tab heard, this one gets what is there now,
			// then every change.
			const handle = await followed.reported;
			followed.ports.add(port);
			port.postMessage(handle.isReady() ? { type: 'part', module, url, view: read(url, handle.doc()) } : { type: 'lacking', module, url });
			return;
		}
		const ports = new Set([port]);
		const reported = this.#first(shared, module, url, read, ports);
		shared.followers.set(url, { ports, reported });
		await reported;
	}

	/** Finds a document for its first tabs, tells them, and tells every later tab of each change. */
	async #first(shared: Shared, module: string, url: string, read: PartReader, ports: Set<Port>): Promise<DocHandle<unknown>> {
		const { repo, ready } = await shared.started;
		await ready;
		const handle = await repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		let due: ReturnType<typeof setTimeout> | undefined;
		const send = async () => {
			due = undefined;
			if (!handle.isReady() || ports.size === 0) return;
			const view = read(url, handle.doc());
			// Reported once it is on the device: "Bijgewerkt" on the page promises it is.
			await repo.flush([handle.documentId]).catch(() => undefined);
			for (const to of ports) to.postMessage({ type: 'part', module, url, view });
		};
		// A burst of changes (a relay sending a year in parts) is read once.
		handle.on('change', () => (due ??= setTimeout(() => void send(), 50)));
		if (handle.isReady()) await send();
		else for (const to of ports) to.postMessage({ type: 'lacking', module, url });
		return handle;
	}
}
