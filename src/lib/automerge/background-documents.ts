// The page's side of the background (background-repo.ts, in a worker): hands it documents and
// passes on what comes back. Without a worker the page opens the documents itself, as before.
import type { FromBackground, ToBackground } from './background-messages.ts';
import type { Target } from './synced-repo.svelte.ts';
import { wasmAddress } from './wasm.ts';

/**
 * The page's side: hands documents to the background and passes on what comes back. The worker
 * starts with the first documents handed to it: a neighbourhood with nothing older needs none.
 */
export class BackgroundDocuments {
	#worker: Worker | undefined;
	#failed = false;
	readonly #target: Target;
	readonly #make: () => Worker;
	readonly #onMessage: (message: FromBackground) => void;
	#relay: string | undefined;

	constructor(target: Target, make: () => Worker, onMessage: (message: FromBackground) => void) {
		this.#target = target;
		this.#make = make;
		this.#onMessage = onMessage;
	}

	#started(): Worker | undefined {
		if (this.#worker || this.#failed) return this.#worker;
		try {
			this.#worker = typeof Worker === 'undefined' ? undefined : this.#make();
		} catch {
			this.#worker = undefined;
		}
		if (!this.#worker) {
			this.#failed = true;
			return undefined;
		}
		this.#worker.addEventListener('message', ({ data }: MessageEvent<FromBackground>) => this.#received(data));
		// A worker that cannot load (an old browser, a broken download) brings nothing: the page opens it all.
		this.#worker.addEventListener('error', () => this.#received({ type: 'failed' }));
		this.#worker.postMessage({ type: 'start', target: { ...this.#target, relay: this.#relay ?? this.#target.relay, wasm: wasmAddress() } } satisfies ToBackground);
		return this.#worker;
	}

	#received(message: FromBackground) {
		if (this.#failed) return;
		if (message.type === 'failed') {
			this.#failed = true;
			this.#worker?.terminate();
		}
		this.#onMessage(message);
	}

	/** Hands these documents to the background; false when there is none, and the page opens them. */
	read(module: string, urls: string[]): boolean {
		const worker = this.#started();
		worker?.postMessage({ type: 'read', module, urls } satisfies ToBackground);
		return worker !== undefined;
	}

	/** The neighbourhood moved house: the documents come from this relay now. */
	relay(relay: string): void {
		this.#relay = relay;
		if (!this.#failed) this.#worker?.postMessage({ type: 'relay', relay } satisfies ToBackground);
	}

	erasures(): void {
		if (!this.#failed) this.#worker?.postMessage({ type: 'erasures' } satisfies ToBackground);
	}

	close(): void {
		if (!this.#failed) this.#worker?.postMessage({ type: 'close' } satisfies ToBackground);
		this.#failed = true;
	}
}
