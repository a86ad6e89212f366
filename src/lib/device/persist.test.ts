import { describe, expect, it } from 'vitest';
import { askToKeep, dismissNote, askAndRemember, NOTE_KEY, showNote, type NoteStore, type StorageKeeper } from './persist.ts';

function notes(): NoteStore & { map: Map<string, string> } {
	const map = new Map<string, string>();
	return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

/** A browser's storage manager that answers as told and counts how often it was asked. */
function browser(persisted: boolean, grants: boolean | 'throws'): StorageKeeper & { asked: number } {
	const keeper = {
		asked: 0,
		persisted: async () => persisted,
		persist: async () => {
			keeper.asked += 1;
			if (grants === 'throws') throw new Error('not allowed');
			return grants;
		}
	};
	return keeper;
}

describe('asking the browser to keep the storage', () => {
	it('does not ask again when the storage is kept already', async () => {
		const b = browser(true, false);
		expect(await askToKeep(b)).toBe('kept');
		expect(b.asked).toBe(0);
	});

	it('asks when it is not kept yet, and reports the answer', async () => {
		expect(await askToKeep(browser(false, true))).toBe('granted');
		expect(await askToKeep(browser(false, false))).toBe('refused');
		expect(await askToKeep(browser(false, 'throws'))).toBe('refused');
	});

	it('says so when the browser cannot be asked at all', async () => {
		expect(await askToKeep(undefined)).toBe('unsupported');
		expect(await askToKeep({ persisted: async () => false })).toBe('unsupported');
	});

	it('asks even where the browser cannot say whether it keeps the storage', async () => {
		expect(await askToKeep({ persist: async () => true })).toBe('granted');
	});
});

describe('the note on the home screen', () => {
	it('appears after a refused join and stays until the resident closes it', async () => {
		const store = notes();
		expect(await askAndRemember(browser(false, false), store)).toBe('refused');
		expect(showNote(store, false)).toBe(true);
		expect(showNote(store, undefined)).toBe(true);
		dismissNote(store);
		expect(showNote(store, false)).toBe(false);
	});

	it('does not appear when the browser keeps the storage', async () => {
		const store = notes();
		await askAndRemember(browser(false, true), store);
		expect(showNote(store, false)).toBe(false);
		await askAndRemember(browser(true, false), store);
		expect(showNote(store, false)).toBe(false);
	});

	it('goes away by itself once the browser keeps the storage after all (e.g. on the home screen)', async () => {
		const store = notes();
		await askAndRemember(browser(false, false), store);
		expect(showNote(store, true)).toBe(false);
		expect(store.map.has(NOTE_KEY)).toBe(false);
		expect(showNote(store, false)).toBe(false);
	});

	it('comes back when a later join is refused again, and a later granted join clears it', async () => {
		const store = notes();
		await askAndRemember(browser(false, false), store);
		dismissNote(store);
		await askAndRemember(browser(false, false), store);
		expect(showNote(store, false)).toBe(true);
		await askAndRemember(browser(false, true), store);
		expect(showNote(store, false)).toBe(false);
	});

	it('leaves an earlier note alone where the browser cannot be asked', async () => {
		const store = notes();
		await askAndRemember(browser(false, false), store);
		expect(await askAndRemember(undefined, store)).toBe('unsupported');
		expect(showNote(store, false)).toBe(true);
	});
});
