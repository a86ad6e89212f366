// A neighbourhood's change history as a manager uses it: the list of recent changes, "undo
// everything this member changed since …", and putting a document back to how it was at a
// moment. Works on the relay's own copies of the documents (its repo), so what it writes reaches
// every device through ordinary syncing, as one new change per document that merges with theirs.
import { loadDocument } from './load-document.ts';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import * as A from '@automerge/automerge/slim';
import type { ChangeItem, ChangeModule, Undone } from '../src/lib/access/api.ts';
import { actorsOf, authorship, headsAt, type Authored } from './authorship.ts';
import type { ChangeLog, ChangeRecord } from './change-log.ts';
import { describeChange, moduleOf } from './changes.ts';
import type { Logger } from './log.ts';
import { applyUndo, outcomeOf, planUndo, type UndoOutcome, type UndoPlan } from './undo.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';

export interface ChangeHistoryOptions {
	repo: Repo;
	registry: { documentsOf(neighbourhood: string): string[]; find(id: string): { root: string } | undefined };
	changeLog: ChangeLog;
	log?: Logger;
	now?: () => number;
	/** How long to wait for a document to load. */
	loadMs?: number;
}

/** Why a change was undone, written into the item that was hidden instead of removed. */
export const UNDO_REASON = 'Ongedaan gemaakt door de wijkverbinder';

export interface DocumentOutcome extends UndoOutcome {
	document: string;
	module: ChangeModule;
	changes: number;
}


export class ChangeHistory {
	#o: ChangeHistoryOptions;

	constructor(options: ChangeHistoryOptions) {
		this.#o = options;
	}

	get #now() {
		return (this.#o.now ?? Date.now)();
	}

	#load(documentId: string): Promise<DocHandle<unknown> | undefined> {
		return loadDocument(this.#o.repo, documentId, this.#o.loadMs);
	}

	/** The neighbourhood's documents, the root first: an emptied root is put back before the rest. */
	#documents(neighbourhood: string): string[] {
		const root = this.#o.registry.find(neighbourhood)?.root;
		const all = this.#o.registry.documentsOf(neighbourhood).map(documentIdOf);
		const rootId = root ? documentIdOf(root) : undefined;
		return rootId ? [rootId, ...all.filter((d) => d !== rootId)] : all;
	}

	#authored(doc: A.Doc<unknown>, documentId: string, records: readonly ChangeRecord[], actors: ReadonlyMap<string, string>, from: number): Authored[] {
		return authorship(
			doc,
			records.filter((r) => r.document === documentId),
			actors,
			from
		);
	}

	/** Recent changes, newest first. */
	async list(neighbourhood: string, query: { member?: string; since?: number; limit?: number } = {}): Promise<ChangeItem[]> {
		const since = query.since ?? this.#now - 7 * 24 * 60 * 60 * 1000;
		const records = this.#o.changeLog.query(neighbourhood);
		const actors = actorsOf(records);
		const items: ChangeItem[] = [];
		for (const documentId of this.#documents(neighbourhood)) {
			const handle = await this.#load(documentId);
			if (!handle) continue;
			const doc = handle.doc() as A.Doc<unknown>;
			const module = moduleOf(doc);
			for (const change of this.#authored(doc, documentId, records, actors, since)) {
				if (change.at < since || (query.member !== undefined && change.member !== query.member)) continue;
				items.push(...describeChange(doc, module, change));
			}
		}
		return items.sort((a, b) => b.at.localeCompare(a.at)).slice(0, query.limit ?? 200);
	}

	/** Writes one compensating change to a document, records it, and says what it did. */
	#write(neighbourhood: string, documentId: string, handle: DocHandle<unknown>, plan: UndoPlan, by: string): UndoOutcome {
		const outcome = outcomeOf(plan);
		if (plan.steps.length === 0) return outcome;
		const at = this.#now;
		handle.change((d) => applyUndo(d, plan, { by, at: new Date(at), reason: UNDO_REASON }));
		const doc = handle.doc() as A.Doc<unknown>;
		const actor = A.getActorId(doc);
		// A local change depends on all heads before it: it is the only head now.
		const records = A.getHeads(doc).map((hash) => ({ at, document: documentId, hash, actor, member: by, undo: true }));
		this.#o.changeLog.record(neighbourhood, records);
		return outcome;
	}

	/**
	 * Undoes everything `member` changed since `since` (relay clock; device time for changes from
	 * before the relay recorded them), one new change per document.
	 */
	async undoMember(neighbourhood: string, input: { member: string; since: number; by: string }): Promise<Undone> {
		const records = this.#o.changeLog.query(neighbourhood);
		const actors = actorsOf(records);
		const documents: Undone['documents'] = [];
		for (const documentId of this.#documents(neighbourhood)) {
			const handle = await this.#load(documentId);
			if (!handle) continue;
			const doc = handle.doc() as A.Doc<unknown>;
			const theirs = new Set(
				this.#authored(doc, documentId, records, actors, input.since)
					.filter((c) => c.member === input.member && c.at >= input.since && !c.undo)
					.map((c) => c.hash)
			);
			if (theirs.size === 0) continue;
			const plan = planUndo(doc, theirs);
			const outcome = this.#write(neighbourhood, documentId, handle, plan, input.by);
			// Undone before (or all kept): nothing written, so nothing counts as undone now.
			documents.push({ module: moduleOf(doc), changes: plan.steps.length > 0 ? plan.changes : 0, ...outcome });
		}
		this.#o.log?.info(
			{ neighbourhood, member: input.member, by: input.by, documents: documents.length, changes: documents.reduce((n, d) => n + d.changes, 0) },
			'changes undone'
		);
		return { documents };
	}

	/** Puts one document back to how it was at `moment`: everything changed after it is undone. */
	async restoreDocument(neighbourhood: string, documentId: string, input: { moment: number; by: string }): Promise<DocumentOutcome | undefined> {
		const id = documentIdOf(documentId);
		if (!this.#documents(neighbourhood).includes(id)) return undefined;
		const handle = await this.#load(id);
		if (!handle) return undefined;
		const doc = handle.doc() as A.Doc<unknown>;
		const records = this.#o.changeLog.query(neighbourhood);
		const authored = this.#authored(doc, id, records, actorsOf(records), 0);
		const heads = headsAt(authored, input.moment);
		const kept = new Set<string>();
		// Everything the moment's heads build on stays.
		const byHash = new Map(authored.map((c) => [c.hash, c]));
		const stack = [...heads];
		while (stack.length) {
			const hash = stack.pop()!;
			if (kept.has(hash)) continue;
			kept.add(hash);
			stack.push(...(byHash.get(hash)?.deps ?? []));
		}
		const later = new Set(authored.filter((c) => !kept.has(c.hash)).map((c) => c.hash));
		const plan = planUndo(doc, later, { beforeHeads: heads });
		const outcome = this.#write(neighbourhood, id, handle, plan, input.by);
		this.#o.log?.info({ neighbourhood, document: id, by: input.by, changes: plan.changes }, 'document restored to a moment');
		return { document: id, module: moduleOf(doc), changes: plan.changes, ...outcome };
	}
}
