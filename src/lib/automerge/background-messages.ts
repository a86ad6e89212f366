// What the page and the background (background-repo.ts, in a worker) say to each other.

/** Where the background finds the documents: the device's own relay, with its credential. */
export interface BackgroundTarget {
	root: string;
	relay: string;
	key: string;
	deviceId?: string;
	/** Automerge's wasm, where the page got it (and the service worker keeps it). */
	wasm: string;
}

export type ToBackground =
	| { type: 'start'; target: BackgroundTarget }
	| { type: 'read'; module: string; urls: string[] }
	/** The neighbourhood moved house: its documents come from this relay now. */
	| { type: 'relay'; relay: string }
	/** The relay said access changed (it does right after an erasure): replace erased copies. */
	| { type: 'erasures' }
	| { type: 'close' };

export type FromBackground =
	/** A document's view, stored on this device first: sent again after every change. */
	| { type: 'part'; module: string; url: string; view: unknown }
	/** Not on this device and no relay had it: it is still followed, and comes as a part if it arrives. */
	| { type: 'lacking'; module: string; url: string }
	/** The background cannot run here (no wasm, no storage): the page opens the documents itself. */
	| { type: 'failed'; reason: string };
