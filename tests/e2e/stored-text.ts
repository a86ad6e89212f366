// What a relay's data folder or a browser's storage holds, read raw: the bytes of every file or
// stored value, and every value ever written in the Automerge documents they hold (their whole
// history, decoded). A text that is in neither was never stored readable there.
import * as A from '@automerge/automerge';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Page } from '@playwright/test';

export interface Stored {
	/** Every byte of every file or value, as latin1 text. */
	raw: string;
	/** Every operation of every change of every document, as JSON. */
	history: string;
	/** Every text value any operation ever wrote. */
	values: string[];
}

function decode(chunksByDoc: Map<string, Uint8Array[]>): { history: string; values: string[] } {
	const parts: string[] = [];
	const values: string[] = [];
	for (const chunks of chunksByDoc.values()) {
		let doc = A.init<unknown>();
		for (const chunk of chunks) {
			try {
				doc = A.loadIncremental(doc, chunk);
			} catch {
				// A sync state or anything else that is not a document chunk.
			}
		}
		for (const change of A.getAllChanges(doc)) {
			const ops = A.decodeChange(change).ops;
			parts.push(JSON.stringify(ops));
			for (const op of ops) if ('value' in op && typeof op.value === 'string') values.push(op.value);
		}
	}
	return { history: parts.join('\n'), values };
}

async function files(folder: string): Promise<string[]> {
	const entries = await readdir(folder, { withFileTypes: true, recursive: true });
	return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export async function relayStored(data: string): Promise<Stored> {
	const chunksByDoc = new Map<string, Uint8Array[]>();
	let raw = '';
	for (const file of await files(data)) {
		// The relay may replace a document's files while they are read (an erasure): a file gone
		// meanwhile is skipped, and the caller that waits for a state reads again.
		const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return undefined;
			throw error;
		});
		if (!bytes) continue;
		raw += bytes.toString('latin1');
		const parts = relative(join(data, 'documents'), file).split(sep);
		if (parts.length === 4 && (parts[2] === 'incremental' || parts[2] === 'snapshot')) {
			const id = parts[0]! + parts[1]!;
			chunksByDoc.set(id, [...(chunksByDoc.get(id) ?? []), new Uint8Array(bytes)]);
		}
	}
	return { raw, ...decode(chunksByDoc) };
}

/** Everything in the page's IndexedDB and localStorage. */
export async function browserStored(page: Page): Promise<Stored> {
	const values = await page.evaluate(async () => {
		const out: { key: string; bytes: string }[] = [];
		const toBase64 = (bytes: Uint8Array) => {
			let s = '';
			for (const b of bytes) s += String.fromCharCode(b);
			return btoa(s);
		};
		for (const info of await indexedDB.databases()) {
			const db = await new Promise<IDBDatabase>((resolve, reject) => {
				const request = indexedDB.open(info.name!);
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			for (const store of Array.from(db.objectStoreNames)) {
				const all = await new Promise<unknown[]>((resolve, reject) => {
					const request = db.transaction(store).objectStore(store).getAll();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
				for (const value of all) {
					const record = value as { key?: unknown; binary?: unknown };
					if (record?.binary instanceof Uint8Array) {
						out.push({ key: Array.isArray(record.key) ? String(record.key[0]) : '', bytes: toBase64(record.binary) });
					} else {
						out.push({ key: '', bytes: toBase64(new TextEncoder().encode(JSON.stringify(value))) });
					}
				}
			}
			db.close();
		}
		for (let i = 0; i < localStorage.length; i += 1) {
			const key = localStorage.key(i)!;
			out.push({ key: '', bytes: toBase64(new TextEncoder().encode(`${key}=${localStorage.getItem(key)}`)) });
		}
		return out;
	});
	const chunksByDoc = new Map<string, Uint8Array[]>();
	let raw = '';
	for (const value of values) {
		const bytes = Buffer.from(value.bytes, 'base64');
		raw += bytes.toString('latin1');
		if (value.key) chunksByDoc.set(value.key, [...(chunksByDoc.get(value.key) ?? []), new Uint8Array(bytes)]);
	}
	return { raw, ...decode(chunksByDoc) };
}
