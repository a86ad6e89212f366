// A device's storage for unit tests, in memory, that can be made slow or full.
import type { Chunk, StorageAdapterInterface, StorageKey } from '@automerge/automerge-repo/slim';

/** In memory; while `held`, a write waits until `release` (a phone's slow IndexedDB). */
export class SlowStorage implements StorageAdapterInterface {
	data = new Map<string, Uint8Array>();
	held = false;
	failing = false;
	writes = 0;
	#waiting: (() => void)[] = [];

	release() {
		for (const go of this.#waiting.splice(0)) go();
	}
	async load(key: StorageKey) {
		return this.data.get(key.join('/'));
	}
	async save(key: StorageKey, value: Uint8Array) {
		// The repository's own id is written once, at the start: only documents count here.
		if (key[0] !== 'storage-adapter-id') {
			this.writes += 1;
			if (this.held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
			if (this.failing) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		}
		this.data.set(key.join('/'), value);
	}
	async remove(key: StorageKey) {
		this.data.delete(key.join('/'));
	}
	async loadRange(prefix: StorageKey): Promise<Chunk[]> {
		const start = prefix.join('/');
		return [...this.data].filter(([key]) => key.startsWith(start)).map(([key, data]) => ({ key: key.split('/'), data }));
	}
	async removeRange(prefix: StorageKey) {
		for (const { key } of await this.loadRange(prefix)) this.data.delete(key.join('/'));
	}
}
