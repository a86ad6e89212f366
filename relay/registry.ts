// The relay's record of hosted neighbourhoods: their member keys and which documents belong to
// them. Kept as small files so the operator command can change it while the relay runs:
//   neighbourhoods/<id>.json  written whole (tmp + rename) by create, rotate and setup
//   owners/<id>.log           one document id per line, appended by the relay as members bring them;
//                             `?<id>` marks a provisional claim (see claims.ts), a later plain line
//                             for the same id makes it final, for this or another neighbourhood
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderFingerprint } from './folder-fingerprint.ts';
import * as v from 'valibot';

const Record_ = v.object({
	id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/)),
	name: v.string(),
	root: v.pipe(v.string(), v.regex(/^automerge:/)),
	/** The old shared member key (before December 2026); newer neighbourhoods have none. */
	key: v.optional(v.pipe(v.string(), v.minLength(16))),
	createdAt: v.string(),
	rotatedAt: v.optional(v.string()),
	/** The secret in the agenda feed's address; made on first use, replaced to revoke it. */
	feedToken: v.optional(v.pipe(v.string(), v.minLength(24)))
});
export type NeighbourhoodRecord = v.InferOutput<typeof Record_>;

// Asked for every peer of every message the repo handles (its share check): a prefix test, no regex.
const PREFIX = 'automerge:';
const documentIdOf = (urlOrId: string) => (urlOrId.startsWith(PREFIX) ? urlOrId.slice(PREFIX.length) : urlOrId);

export class Registry {
	readonly data: string;
	#records = new Map<string, NeighbourhoodRecord>();
	#owners = new Map<string, string>();
	/** Owners in `#owners` whose claim is provisional: a neighbourhood whose root lists it takes it. */
	#provisional = new Set<string>();
	#fingerprint = '';

	constructor(data: string) {
		this.data = data;
		mkdirSync(this.#dir('neighbourhoods'), { recursive: true, mode: 0o700 });
		mkdirSync(this.#dir('owners'), { recursive: true, mode: 0o700 });
		this.reload();
	}

	#dir(name: string) {
		return join(this.data, name);
	}

	/** Changes whenever another process writes (folder-fingerprint.ts). */
	#currentFingerprint(): string {
		return folderFingerprint([this.#dir('neighbourhoods'), this.#dir('owners')], ['.json', '.log']);
	}

	/** Re-reads the files if another process changed them; true when something changed. */
	reloadIfChanged(): boolean {
		if (this.#currentFingerprint() === this.#fingerprint) return false;
		this.reload();
		return true;
	}

	reload(): void {
		const records = new Map<string, NeighbourhoodRecord>();
		for (const file of readdirSync(this.#dir('neighbourhoods'))) {
			if (!file.endsWith('.json')) continue;
			try {
				const parsed = v.safeParse(Record_, JSON.parse(readFileSync(join(this.#dir('neighbourhoods'), file), 'utf8')));
				if (parsed.success) records.set(parsed.output.id, parsed.output);
			} catch {
				// A file being written by another process is read again on the next change.
			}
		}
		const owners = new Map<string, string>();
		const provisional = new Set<string>();
		for (const record of records.values()) owners.set(documentIdOf(record.root), record.id);
		for (const file of readdirSync(this.#dir('owners'))) {
			const id = file.replace(/\.log$/, '');
			if (!records.has(id)) continue;
			for (const line of readFileSync(join(this.#dir('owners'), file), 'utf8').split('\n')) {
				const entry = line.trim();
				const documentId = entry.replace(/^\?/, '');
				if (!documentId) continue;
				// A final claim outranks a provisional one, whichever file is read first.
				if (entry.startsWith('?')) {
					if (!owners.has(documentId)) {
						owners.set(documentId, id);
						provisional.add(documentId);
					}
				} else if (!owners.has(documentId) || provisional.has(documentId)) {
					owners.set(documentId, id);
					provisional.delete(documentId);
				}
			}
		}
		this.#records = records;
		this.#owners = owners;
		this.#provisional = provisional;
		this.#fingerprint = this.#currentFingerprint();
	}

	list(): NeighbourhoodRecord[] {
		return [...this.#records.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
	}

	/** By id, or by name when exactly one neighbourhood has it. */
	find(idOrName: string): NeighbourhoodRecord | undefined {
		const byId = this.#records.get(idOrName);
		if (byId) return byId;
		const named = this.list().filter((r) => r.name.toLowerCase() === idOrName.toLowerCase());
		return named.length === 1 ? named[0] : undefined;
	}

	/** The neighbourhood a member key opens, compared in constant time. */
	neighbourhoodForKey(key: string | null | undefined): string | undefined {
		if (!key) return undefined;
		const given = Buffer.from(key);
		for (const record of this.#records.values()) {
			if (!record.key) continue;
			const expected = Buffer.from(record.key);
			if (expected.length === given.length && timingSafeEqual(expected, given)) return record.id;
		}
		return undefined;
	}

	ownerOf(documentId: string): string | undefined {
		return this.#owners.get(documentIdOf(documentId));
	}

	/**
	 * The record as it is on disk now. A change is written as the whole record, so one made from a
	 * copy the poll has not refreshed yet would undo what another process just did: bring back a
	 * rotated-out member key, or replace the feed address the operator has just handed out.
	 */
	#latest(id: string): NeighbourhoodRecord | undefined {
		this.reloadIfChanged();
		return this.#records.get(id);
	}

	#write(record: NeighbourhoodRecord) {
		const path = join(this.#dir('neighbourhoods'), `${record.id}.json`);
		const tmp = `${path}.${process.pid}.tmp`;
		writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
		renameSync(tmp, path);
		this.#records.set(record.id, record);
	}

	add(input: { id: string; name: string; root: string; documents: string[] }): NeighbourhoodRecord {
		const record: NeighbourhoodRecord = {
			id: input.id,
			name: input.name,
			root: input.root,
			createdAt: new Date().toISOString()
		};
		for (const documentId of input.documents) this.claim(documentId, record.id);
		this.#write(record);
		this.#fingerprint = this.#currentFingerprint();
		return record;
	}

	/** Gives a neighbourhood the shared member key it had before December 2026 (moved or restored data, tests). */
	setOldKey(id: string, key: string): void {
		const current = this.#latest(id);
		if (!current) throw new Error(`No neighbourhood with id ${id}`);
		this.#write({ ...current, key });
		this.#fingerprint = this.#currentFingerprint();
	}

	/** The agenda feed's secret, made now if the neighbourhood has none yet. */
	feedToken(id: string): string {
		const current = this.#latest(id);
		if (!current) throw new Error(`No neighbourhood with id ${id}`);
		if (current.feedToken) return current.feedToken;
		return this.rotateFeed(id);
	}

	/** A new feed secret: calendar apps subscribed to the old address get nothing from now on. */
	rotateFeed(id: string): string {
		const current = this.#latest(id);
		if (!current) throw new Error(`No neighbourhood with id ${id}`);
		const record = { ...current, feedToken: randomBytes(24).toString('base64url') };
		this.#write(record);
		this.#fingerprint = this.#currentFingerprint();
		return record.feedToken;
	}

	/** The neighbourhood whose feed this secret opens, compared in constant time. */
	neighbourhoodForFeed(token: string | null | undefined): NeighbourhoodRecord | undefined {
		if (!token) return undefined;
		const given = Buffer.from(token);
		for (const record of this.#records.values()) {
			if (!record.feedToken) continue;
			const expected = Buffer.from(record.feedToken);
			if (expected.length === given.length && timingSafeEqual(expected, given)) return record;
		}
		return undefined;
	}

	/** The documents a neighbourhood's members brought, its root included. */
	documentsOf(neighbourhood: string): string[] {
		return [...this.#owners].filter(([, owner]) => owner === neighbourhood).map(([documentId]) => documentId);
	}

	/** Whether the document's owner holds it only provisionally (see claims.ts). */
	isProvisional(documentId: string): boolean {
		return this.#provisional.has(documentIdOf(documentId));
	}

	/**
	 * Records that a document belongs to a neighbourhood for good. The first final claim wins; a
	 * provisional owner, this neighbourhood or another, gives way to it.
	 */
	claim(documentIdOrUrl: string, neighbourhood: string): boolean {
		const documentId = documentIdOf(documentIdOrUrl);
		if (this.#owners.has(documentId) && !this.#provisional.has(documentId)) return this.#owners.get(documentId) === neighbourhood;
		this.#append(neighbourhood, documentId);
		this.#owners.set(documentId, neighbourhood);
		this.#provisional.delete(documentId);
		return true;
	}

	/** Records a claim that a final one may still take over; false when someone owns it already. */
	claimProvisionally(documentIdOrUrl: string, neighbourhood: string): boolean {
		const documentId = documentIdOf(documentIdOrUrl);
		if (this.#owners.has(documentId)) return false;
		this.#append(neighbourhood, `?${documentId}`);
		this.#owners.set(documentId, neighbourhood);
		this.#provisional.add(documentId);
		return true;
	}

	#append(neighbourhood: string, line: string) {
		// Our own append should not look like another process's change at the next poll, unless
		// something else had already changed since we last read.
		const current = this.#currentFingerprint() === this.#fingerprint;
		appendFileSync(join(this.#dir('owners'), `${neighbourhood}.log`), `${line}\n`, { mode: 0o600 });
		if (current) this.#fingerprint = this.#currentFingerprint();
	}
}
