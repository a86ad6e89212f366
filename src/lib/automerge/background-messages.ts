// What the page and the background (background-repo.ts, in a worker) say to each other.
import type { Span } from './span.ts';
import type { RefusedEntry } from './refused-list.ts';
import type { Target } from './synced-repo.svelte.ts';

/** The page's target (its relay, the device's credential) and where the page got Automerge's wasm. */
export type BackgroundTarget = Target & { wasm: string };

export type ToBackground =
	| { type: 'start'; target: BackgroundTarget }
	/**
	 * Documents to follow. `hold`: tell only that each is here (`held`) until the page asks for its
	 * view (`show`): a page that shows this week need not take in ten years.
	 * `within`: only the part of each view that covers this comes, until `show` asks for the whole.
	 */
	| { type: 'read'; module: string; urls: string[]; hold?: boolean; within?: Span }
	/** Held documents, or documents sent in part, a page needs whole now: their views come, and again after every change. */
	| { type: 'show'; module: string; urls: string[] }
	/** A domain action (`signUp`, …) on a document the background holds, answered with `acted`. */
	| { type: 'act'; id: number; module: string; url: string; action: string; args: unknown[] }
	/** The neighbourhood moved house: its documents come from this relay now. */
	| { type: 'relay'; relay: string }
	/**
	 * Every relay of the neighbourhood this device keeps a connection to, its own first: the
	 * background reaches each too, so what changes there reaches them all, as on the page.
	 */
	| { type: 'relays'; relays: string[] }
	/** The relay said access changed (it does right after an erasure): replace erased copies. */
	| { type: 'erasures' }
	| { type: 'close' };

export type FromBackground =
	/**
	 * A document's view, stored on this device first: sent again after every change. A large view
	 * comes in pieces, in order, each in a part of its own (`DocumentsDeclaration.pieces`).
	 * `covers`: the view holds only the part the page asked for (`within`) of a document that
	 * covers this time.
	 */
	| { type: 'part'; module: string; url: string; view: unknown; piece?: { index: number; count: number }; covers?: Span }
	/**
	 * A held document is read and stored on this device; its view stays in the background. Sent
	 * again after every change, with the time it covers now (none when it holds nothing).
	 */
	| { type: 'held'; module: string; url: string; span?: Span }
	/**
	 * Not on this device, and no relay reached now has it: it is still followed, and comes as a part
	 * if it arrives. `offline`: the background reaches no relay at all, so none could say; a page that
	 * reaches one waits for it, as the background will ask again once it is back too.
	 */
	| { type: 'lacking'; module: string; url: string; offline?: boolean }
	/** Reported lacking before, and on its way again now (a relay is back and has not said it lacks it). */
	| { type: 'coming'; module: string; url: string }
	/** What an action returned; `failed` when it could not run (the document is not here). */
	| { type: 'acted'; id: number; result?: unknown; failed?: boolean }
	/** How many documents the background changed that not every relay it reaches has yet. */
	| { type: 'unshared'; count: number }
	/** The relay refused a change made in the background: the person is told, as on the page. */
	| { type: 'refused'; entry: RefusedEntry }
	/** The background cannot run here (no wasm, no storage): the page opens the documents itself. */
	| { type: 'failed' };
