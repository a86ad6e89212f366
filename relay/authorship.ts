// Whose is each change of a document, and when was it made. The change log (change-log.ts) says
// so for every change the relay accepted since it kept one: the authenticated member and the
// relay's clock. Older changes, from before the relay refereed (or from before this log), have
// only Automerge's own metadata: the actor and the time its device claimed. For those the member
// is read from what the actor's changes wrote about who acted (`actedBy`, else `author`, `by`,
// `member`, `updatedBy`): an honest app always writes them; a member who lied there in the past
// is found by the log from now on. Every such guess is marked `recorded: false`.
import * as A from '@automerge/automerge/slim';
import type { ChangeRecord } from './change-log.ts';
import { changesOf, type ChangeMeta } from './undo.ts';

export interface Authored extends ChangeMeta {
	/** Relay clock when recorded, else the device's own time. */
	at: number;
	member: string | undefined;
	device?: string;
	/** True when the change log holds it; false for a guess from Automerge's metadata. */
	recorded: boolean;
	undo: boolean;
}

const CLAIMS = ['actedBy', 'author', 'by', 'member', 'updatedBy'] as const;

function claimed(value: unknown): string | undefined {
	const text = A.isImmutableString(value) ? value.val : value;
	return typeof text === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(text) ? text : undefined;
}

/** The member each actor's changes say acted, the pressing member (`actedBy`) first. */
function actorClaims(doc: A.Doc<unknown>, changes: ChangeMeta[]): Map<string, string> {
	const votes = new Map<string, Map<string, number>>();
	for (const change of changes) {
		let patches: A.Patch[];
		try {
			patches = A.diff(doc, change.deps, [change.hash]);
		} catch {
			continue;
		}
		for (const patch of patches) {
			if (patch.action !== 'put') continue;
			const key = patch.path[patch.path.length - 1];
			const rank = CLAIMS.indexOf(key as (typeof CLAIMS)[number]);
			const member = rank < 0 ? undefined : claimed(patch.value);
			if (!member) continue;
			let tally = votes.get(change.actor);
			if (!tally) votes.set(change.actor, (tally = new Map()));
			// actedBy outweighs the others: an intermediary writes `author` for the resident.
			tally.set(member, (tally.get(member) ?? 0) + (rank === 0 ? 100 : 1));
		}
	}
	const out = new Map<string, string>();
	for (const [actor, tally] of votes) out.set(actor, [...tally].sort((a, b) => b[1] - a[1])[0]![0]);
	return out;
}

/**
 * Every change of a document with its author. `records`: the change log's records for this
 * document; `actors`: actor → member from the whole neighbourhood's records. `from`: changes the
 * device dated before this (minus a day for clocks that run wrong) are not guessed at.
 */
export function authorship(doc: A.Doc<unknown>, records: readonly ChangeRecord[], actors: ReadonlyMap<string, string>, from = 0): Authored[] {
	const byHash = new Map(records.map((r) => [r.hash, r]));
	const changes = changesOf(doc);
	const unrecorded = changes.filter((c) => !byHash.has(c.hash) && !actors.has(c.actor) && c.time >= from - 24 * 60 * 60 * 1000);
	const guessed = actorClaims(doc, unrecorded);
	return changes.map((c) => {
		const record = byHash.get(c.hash);
		if (record) return { ...c, at: record.at, member: record.member, device: record.device, recorded: true, undo: record.undo === true };
		return { ...c, at: c.time, member: actors.get(c.actor) ?? guessed.get(c.actor), recorded: false, undo: false };
	});
}

/** actor → member, from the change log's records (undo records are the relay's own actor). */
export function actorsOf(records: readonly ChangeRecord[]): Map<string, string> {
	const out = new Map<string, string>();
	for (const r of records) if (!r.undo) out.set(r.actor, r.member);
	return out;
}

/**
 * The document's heads at a moment: every change made by then (relay clock where recorded),
 * with everything it builds on.
 */
export function headsAt(authored: readonly Authored[], moment: number): string[] {
	const included = new Set<string>();
	// Automerge lists changes in causal order: a change's dependencies come before it.
	for (const c of authored) if (c.at <= moment && c.deps.every((d) => included.has(d))) included.add(c.hash);
	const depended = new Set<string>();
	for (const c of authored) if (included.has(c.hash)) for (const d of c.deps) depended.add(d);
	return [...included].filter((h) => !depended.has(h));
}
