// What the page and the background (background-repo.ts, in a worker) say to each other.
import type { Target } from './synced-repo.svelte.ts';

/** The page's target (its relay, the device's credential) and where the page got Automerge's wasm. */
export type BackgroundTarget = Target & { wasm: string };

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
	| { type: 'failed' };
