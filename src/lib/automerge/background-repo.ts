// The background: a repository of its own in a worker, on the same storage as the page's, that
// opens the documents the page hands it and sends back each one's view. Opening an older year is
// one long wasm call (bench/member-device.ts: 2 s on the cheap phone); here it stalls no tap.
// It only reads: every change is made on the page, which opens a document when it needs to.
import { initializeWasm, isWasmInitialized } from '@automerge/automerge/slim';
import { Repo, type AutomergeUrl, type PeerId } from '@automerge/automerge-repo/slim';
import { peerIdFor } from '../access/secret.ts';
import { ErasureCatchUp } from '../erase/catch-up.ts';
import type { BackgroundTarget, FromBackground, ToBackground } from './background-messages.ts';
import { openDeviceStorage } from './device-storage.ts';
import { randomId } from './fields.ts';
import { RelaySockets } from './relay-sockets.ts';

/** Reads one document as its module's view, from plain data the page can take. */
export type PartReader = (url: string, doc: unknown) => unknown;

interface Port {
	postMessage(message: FromBackground): void;
	addEventListener(type: 'message', listener: (event: MessageEvent<ToBackground>) => void): void;
	close(): void;
}

interface Started {
	repo: Repo;
	sockets: RelaySockets;
	erasures: ErasureCatchUp;
	/** The first erasure check: a copy from before an erasure is not read, let alone passed on. */
	checked: Promise<unknown>;
	/**
	 * The relay answered, or cannot be reached now. Asked before that, a document not on the device
	 * would be reported lacking while it is on its way, and the page would say "Bijgewerkt" without it.
	 */
	answered: Promise<void>;
}

export function serveBackground(port: Port, readers: Record<string, PartReader>): void {
	let started: Promise<Started> | undefined;
	const followed = new Set<string>();

	const start = async (target: BackgroundTarget): Promise<Started> => {
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
		return { repo, sockets, erasures, checked: erasures.check().catch(() => 0), answered: sockets.whenAnswered() };
	};

	const follow = async (module: string, url: string) => {
		const read = readers[module];
		if (!started || !read || followed.has(url)) return;
		followed.add(url);
		const { repo, checked, answered } = await started;
		await Promise.all([checked, answered]);
		const handle = await repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] });
		let due: ReturnType<typeof setTimeout> | undefined;
		const send = async () => {
			due = undefined;
			if (!handle.isReady()) return;
			const view = read(url, handle.doc());
			// Reported once it is on the device: "Bijgewerkt" on the page promises it is.
			await repo.flush([handle.documentId]).catch(() => undefined);
			port.postMessage({ type: 'part', module, url, view });
		};
		// A burst of changes (a relay sending a year in parts) is read once.
		handle.on('change', () => (due ??= setTimeout(() => void send(), 50)));
		if (handle.isReady()) await send();
		else port.postMessage({ type: 'lacking', module, url });
	};

	port.addEventListener('message', ({ data }) => {
		switch (data.type) {
			case 'start':
				started ??= start(data.target);
				started.catch(() => port.postMessage({ type: 'failed' }));
				break;
			case 'read':
				for (const url of data.urls) void follow(data.module, url).catch(() => port.postMessage({ type: 'lacking', module: data.module, url }));
				break;
			case 'relay':
				void started?.then(({ sockets }) => sockets.setPrimary(data.relay));
				break;
			case 'erasures':
				void started?.then(({ erasures }) => erasures.check());
				break;
			case 'close':
				void started
					?.then(async ({ repo, sockets }) => {
						sockets.stop();
						await repo.shutdown().catch(() => undefined);
					})
					.finally(() => port.close());
				break;
		}
	});
}
