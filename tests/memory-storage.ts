// localStorage for unit tests: the part of `Storage` the app's device modules use, in memory,
// counting writes so a test can see that nothing was written needlessly.
export class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
	items = new Map<string, string>();
	writes = 0;
	getItem = (key: string) => this.items.get(key) ?? null;
	setItem = (key: string, value: string) => {
		this.writes += 1;
		this.items.set(key, value);
	};
	removeItem = (key: string) => void this.items.delete(key);
}
