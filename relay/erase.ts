// "Verwijder mijn gegevens", done by the relay, which holds every document of the neighbourhood and
// referees what devices send. For each document the member's module says what to take out
// (src/lib/erase/plan.ts); the document's history is rewritten without it (rewrite.ts) and put in
// place of the relay's copy, in memory and on disk (replace-stored.ts: one new snapshot, every old
// chunk file removed), then one ordinary change tidies up (e.g. an open post leaves the board).
// The access book forgets the name, and a record of which changes are gone is kept, without
// content, so every device can tell that its copy is old and replace it (src/lib/erase/erased-copy.ts).
//
// People who left are erased after a period the managers choose (12 months unless set): `sweep`.
import { loadDocument } from './load-document.ts';
import type { DocHandle, Repo, StorageAdapterInterface } from '@automerge/automerge-repo/slim';
import * as A from '@automerge/automerge/slim';
import { join } from 'node:path';
import * as v from 'valibot';
import { isRecord, textOf } from '../src/lib/automerge/fields.ts';
import { replaceDocument } from '../src/lib/automerge/replace-stored.ts';
import { planErasure } from '../src/lib/erase/plan.ts';
import { rewriteHistory } from '../src/lib/erase/rewrite.ts';
import { ERASED_NAME } from '../src/lib/members/erase.ts';
import { documentKind } from '../src/lib/neighbourhood/documents.ts';
import type { Refusal } from '../src/lib/access/api.ts';
import type { AccessBook } from './access-book.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';

/** How long after leaving a member is erased, unless the managers chose otherwise. */
export const DEFAULT_ERASE_AFTER_MONTHS = 12;
/** Enough for every erasure of a few years; devices older than that start afresh anyway. */
const MAX_RECORDS = 500;
const MONTH_MS = 30.44 * 24 * 60 * 60 * 1000;

const ErasureRecord = v.object({
	/** The document's id (without `automerge:`). */
	document: v.string(),
	at: v.string(),
	/** Hashes of old changes: a copy holding any of them is from before the erasure (rewrite.ts `first`). */
	first: v.array(v.string())
});
export type ErasureRecord = v.InferOutput<typeof ErasureRecord>;

export const ErasureFile = v.object({
	eraseAfterMonths: v.optional(v.number()),
	records: v.array(ErasureRecord)
});
type ErasureFile = v.InferOutput<typeof ErasureFile>;

export interface EraserOptions {
	data: string;
	repo: Repo;
	/** The relay's document storage (under the full-disk guard): the old chunks are removed there. */
	storage: StorageAdapterInterface;
	registry: Pick<Registry, 'documentsOf' | 'find' | 'list'>;
	book: AccessBook;
	log: Logger;
	now?: () => number;
	/** How long to wait for one document to load. */
	loadMs?: number;
}

export interface Erased {
	/** Documents whose history was rewritten. */
	documents: number;
}


export class Eraser {
	#o: EraserOptions;
	/** One erasure at a time: two rewriting one document at once would lose one of them. */
	#queue: Promise<unknown> = Promise.resolve();

	constructor(options: EraserOptions) {
		this.#o = options;
	}

	#path(neighbourhood: string) {
		return join(this.#o.data, 'erasures', `${neighbourhood}.json`);
	}

	#read(neighbourhood: string): ErasureFile {
		return readJsonFile(this.#path(neighbourhood), ErasureFile, () => ({ records: [] }));
	}

	get #now() {
		return (this.#o.now ?? Date.now)();
	}

	/** Documents any erasure rewrote, from every neighbourhood's records; read once, then kept up to date. */
	#rewritten: Set<string> | undefined;

	/** Whether an erasure rewrote this document's history (the referee then refuses old changes: stale-changes.ts). */
	rewritten(documentId: string): boolean {
		return this.#rewrittenSet().has(documentId);
	}

	#rewrittenSet(): Set<string> {
		if (!this.#rewritten) {
			this.#rewritten = new Set();
			for (const { id } of this.#o.registry.list()) {
				try {
					for (const record of this.records(id)) this.#rewritten.add(record.document);
				} catch {
					// A damaged record file: its documents are still refused by Automerge itself.
				}
			}
		}
		return this.#rewritten;
	}

	/** What devices check their copies against. */
	records(neighbourhood: string): ErasureRecord[] {
		return this.#read(neighbourhood).records;
	}

	eraseAfterMonths(neighbourhood: string): number {
		return this.#read(neighbourhood).eraseAfterMonths ?? DEFAULT_ERASE_AFTER_MONTHS;
	}

	setEraseAfter(neighbourhood: string, months: number): void {
		const file = this.#read(neighbourhood);
		writeJsonFile(this.#path(neighbourhood), { ...file, eraseAfterMonths: months });
	}

	#load(documentId: string): Promise<DocHandle<unknown> | undefined> {
		return loadDocument(this.#o.repo, documentId, this.#o.loadMs);
	}

	/** Erases `memberId` from every document of the neighbourhood and from the access book. */
	erase(neighbourhood: string, memberId: string, by?: string): Promise<Erased | { refused: Refusal }> {
		const run = this.#queue.then(() => this.#erase(neighbourhood, memberId, by));
		this.#queue = run.catch(() => undefined);
		return run;
	}

	async #erase(neighbourhood: string, memberId: string, by?: string): Promise<Erased | { refused: Refusal }> {
		const { book, registry, log } = this.#o;
		const member = book.members(neighbourhood).members.find((m) => m.id === memberId);
		const managers = book.members(neighbourhood).members.filter((m) => m.status === 'active' && m.roles.includes('manager'));
		if (member?.status === 'active' && member.roles.includes('manager') && managers.length <= 1) return { refused: 'lastManager' };

		const at = new Date(this.#now).toISOString();
		const rootUrl = registry.find(neighbourhood)?.root;
		const rootId = rootUrl ? documentIdOf(rootUrl) : undefined;
		const root = rootId ? (await this.#load(rootId))?.doc() : undefined;
		const records: ErasureRecord[] = [];
		for (const documentId of registry.documentsOf(neighbourhood).map(documentIdOf)) {
			if (documentId === rootId) continue;
			const kind = documentKind(root, `automerge:${documentId}`);
			if (!kind) continue;
			const handle = await this.#load(documentId);
			if (!handle) {
				// Nothing to rewrite in memory; said loudly, since the member's data may be in it.
				log.error({ neighbourhood, document: documentId }, 'erasing: a document could not be loaded');
				continue;
			}
			const plan = planErasure(kind, handle.doc(), memberId, at);
			if (plan.scrubs.length === 0) continue;
			// No await between reading the document and replacing it: no change can land in between.
			const rewritten = rewriteHistory(handle.doc() as A.Doc<unknown>, plan.scrubs);
			if (rewritten.gone.length > 0) {
				// Before the replacement: devices answer its first sync message with their old changes.
				this.#rewrittenSet().add(documentId);
				await replaceDocument(this.#o.repo, this.#o.storage, handle, rewritten.doc, rewritten.gone);
				records.push({ document: documentId, at, first: rewritten.first });
			}
			if (plan.tidy) handle.change((d) => plan.tidy!(d));
		}
		const refusal = book.forget(neighbourhood, memberId, ERASED_NAME, by);
		if (refusal && refusal !== 'unknown') return { refused: refusal };
		if (records.length > 0) {
			const file = this.#read(neighbourhood);
			writeJsonFile(this.#path(neighbourhood), { ...file, records: [...file.records, ...records].slice(-MAX_RECORDS) });
		}
		log.info({ neighbourhood, member: memberId, by, documents: records.length }, 'member erased');
		return { documents: records.length };
	}

	/** Members who left longer ago than the neighbourhood's period, not yet erased. */
	async due(neighbourhood: string): Promise<string[]> {
		const rootUrl = this.#o.registry.find(neighbourhood)?.root;
		const root = rootUrl ? (await this.#load(documentIdOf(rootUrl)))?.doc() : undefined;
		const membersUrl = isRecord(root) && isRecord(root.docs) ? textOf(root.docs.members) : '';
		const members = membersUrl ? (await this.#load(documentIdOf(membersUrl)))?.doc() : undefined;
		const profiles = isRecord(members) && isRecord(members.members) ? members.members : {};
		const before = this.#now - this.eraseAfterMonths(neighbourhood) * MONTH_MS;
		return Object.entries(profiles).flatMap(([id, profile]) => {
			if (!isRecord(profile) || profile.erasedAt !== undefined) return [];
			const left = Date.parse(textOf(profile.leftAt));
			return Number.isFinite(left) && left <= before ? [id] : [];
		});
	}

	/** Erases everyone due in every neighbourhood; the relay runs this once a day. */
	async sweep(): Promise<number> {
		let erased = 0;
		for (const { id } of this.#o.registry.list()) {
			for (const memberId of await this.due(id)) {
				const result = await this.erase(id, memberId);
				if (!('refused' in result)) erased += 1;
			}
		}
		return erased;
	}
}
