// The wasm is fetched as a separate asset so the page paints first and the service worker can
// precache it.
import { initializeWasm, isWasmInitialized } from '@automerge/automerge/slim';
import wasmUrl from '@automerge/automerge/automerge.wasm?url';

let started: Promise<void> | undefined;

export function automergeReady(): Promise<void> {
	if (isWasmInitialized()) return Promise.resolve();
	started ??= initializeWasm(wasmUrl).then(() => undefined);
	return started;
}

/** Where the page got the wasm: the documents worker loads it from there too (one download, one cached copy). */
export const wasmAddress = (): string => new URL(wasmUrl, location.href).href;
