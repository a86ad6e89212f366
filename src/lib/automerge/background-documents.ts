// The page's side of the background (background-repo.ts, in a worker): hands it documents and
// passes on what comes back. Without a worker the page opens the documents itself, as before.
import type { FromBackground, ToBackground } from './background-messages.ts';
import type { Span } from './span.ts';
import type { Target } from './synced-repo.svelte.ts';
import { wasmAddress } from './wasm.ts';

/** The page's end of the line to the background: a dedicated worker, or a port of a shared one. */
export interface BackgroundLine {
	postMessage(message: ToBackground): void;
	onMessage(listener: (message: FromBackground) => void): void;
	/** The worker cannot load (an old browser, a broken download). */
	onError(listener: () => void): void;
	/** This page is done with it; a shared worker goes on for other tabs. */
	end(): void;
}

/** A worker of this page's own. */
export function dedicatedLine(worker: Worker): BackgroundLine {
	return {
		postMessage: (message) => worker.postMessage(message),
		onMessage: (listener) => worker.addEventListener('message', ({ data }: MessageEvent<FromBackground>) => listener(data)),
		onError: (listener) => worker.addEventListener('error', listener),
		end: () => worker.terminate()
	};
}

/** A port of a worker shared by every tab of this browser. */
export function sharedLine(worker: SharedWorker): BackgroundLine {
	const port = worker.port;
	port.start();
	return {
		postMessage: (message) => port.postMessage(message),
		onMessage: (listener) => port.addEventListener('message', ({ data }: MessageEvent<FromBackground>) => listener(data)),
		onError: (listener) => worker.addEventListener('error', listener),
		end: () => port.close()
	};
}

/** The page's side: hands documents to the background and passes on what comes back. */
export class BackgroundDocuments {
	#worker: BackgroundLine | undefined;
	#failed = false;
	readonly #target: Target;
	readonly #make: () => BackgroundLine | undefined;
	readonly #onMessage: (message: FromBackground) => void;
	#relay: string | undefined;
	#relays: string[] | undefined;

	constructor(target: Target, make: () => BackgroundLine | undefined, onMessage: (message: FromBackground) => void) {
		this.#target = target;
		this.#make = make;
		this.#onMessage = onMessage;
	}

	#started(): BackgroundLine | undefined {
		if (this.#worker || this.#failed) return this.#worker;
		try {
			this.#worker = this.#make();
		} catch {
			this.#worker = undefined;
		}
		if (!this.#worker) {
			this.#failed = true;
			return undefined;
		}
		this.#worker.onMessage((message) => this.#received(message));
		// A worker that cannot load (an old browser, a broken download) brings nothing: the page opens it all.
		this.#worker.onError(() => this.#received({ type: 'failed' }));
		this.#worker.postMessage({ type: 'start', target: { ...this.#target, relay: this.#relay ?? this.#target.relay, wasm: wasmAddress() } } satisfies ToBackground);
		if (this.#relays) this.#worker.postMessage({ type: 'relays', relays: this.#relays } satisfies ToBackground);
		return this.#worker;
	}

	// What came, in order, handed on one message a task. The browser copies a message's data out in
	// the task that brings it (mostly 6 to 10 ms on the cheap phone, a piece of 250 KB now and then
	// much more), and the page then draws what changed: in one task the two made tasks of 50 to 66 ms
	// while the agenda came in (bench/member-device.ts --frames); in two, each is shorter.
	readonly #arrived: FromBackground[] = [];
	#handing: ReturnType<typeof setTimeout> | undefined;

	#received(message: FromBackground) {
		this.#arrived.push(message);
		if (this.#handing === undefined) this.#handing = setTimeout(() => this.#handOn(), 0);
	}

	#handOn() {
		const message = this.#arrived.shift();
		this.#handing = this.#arrived.length > 0 ? setTimeout(() => this.#handOn(), 0) : undefined;
		if (message) this.#handle(message);
	}

	#handle(message: FromBackground) {
		if (this.#failed) return;
		if (message.type === 'acted') {
			const waiting = this.#acts.get(message.id);
			this.#acts.delete(message.id);
			if (message.failed) waiting?.reject(new Error('The background could not act'));
			else waiting?.resolve(message.result);
			return;
		}
		if (message.type === 'failed') {
			this.#failed = true;
			this.#worker?.end();
			for (const waiting of this.#acts.values()) waiting.reject(new Error('The background stopped'));
			this.#acts.clear();
		}
		this.#onMessage(message);
	}

	#lastAct = 0;
	readonly #acts = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

	/** Runs a module's action on a document the background reads; undefined when there is none. */
	act(module: string, url: string, action: string, args: unknown[]): Promise<unknown> | undefined {
		const worker = this.#failed ? undefined : this.#worker;
		if (!worker) return undefined;
		const id = ++this.#lastAct;
		return new Promise((resolve, reject) => {
			this.#acts.set(id, { resolve, reject });
			worker.postMessage({ type: 'act', id, module, url, action, args } satisfies ToBackground);
		});
	}

	/**
	 * Starts the background now, before any document is handed to it: starting takes a while (its
	 * own Automerge, storage, a connection), and the agenda shown first is read there.
	 */
	start(): void {
		this.#started();
	}

	/**
	 * Hands these documents to the background; false when there is none, and the page opens them.
	 * `hold`: their views stay there until `show` asks for them; `within`: only what covers this
	 * comes until then.
	 */
	read(module: string, urls: string[], hold = false, within?: Span): boolean {
		const worker = this.#started();
		worker?.postMessage({ type: 'read', module, urls, ...(hold ? { hold } : {}), ...(within ? { within } : {}) } satisfies ToBackground);
		return worker !== undefined;
	}

	/** Held documents, or documents sent in part, a page needs whole now. */
	show(module: string, urls: string[]): void {
		if (!this.#failed) this.#worker?.postMessage({ type: 'show', module, urls } satisfies ToBackground);
	}

	/** The neighbourhood moved house: the documents come from this relay now. */
	relay(relay: string): void {
		this.#relay = relay;
		if (!this.#failed) this.#worker?.postMessage({ type: 'relay', relay } satisfies ToBackground);
	}

	/** Every relay the page keeps a connection to, its own first: the background reaches them too. */
	relays(relays: string[]): void {
		this.#relays = [...relays];
		if (!this.#failed) this.#worker?.postMessage({ type: 'relays', relays: this.#relays } satisfies ToBackground);
	}

	erasures(): void {
		if (!this.#failed) this.#worker?.postMessage({ type: 'erasures' } satisfies ToBackground);
	}

	close(): void {
		if (!this.#failed) this.#worker?.postMessage({ type: 'close' } satisfies ToBackground);
		this.#failed = true;
	}
}
