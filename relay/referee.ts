// The relay as referee (issue #12): every change a device sends is judged before the relay stores
// or passes it on, by the rules of the module whose document it changes (src/lib/*/rules.ts, the
// same rules the app's pages ask). What is refused goes nowhere: it is cut out of the sync message,
// with whatever builds on it, and the device is told which changes, so it can take them back and
// send what it did afterwards again (src/lib/automerge/rebase.ts). Who a change is from comes from
// the connection's credential, never from the change: each Automerge actor is bound to the member
// whose device first used it (actors.ts).
import * as A from '@automerge/automerge/slim';
import { isRecord } from '../src/lib/automerge/fields.ts';
import { documentKind } from '../src/lib/neighbourhood/documents.ts';
import type { Kind } from '../src/lib/rules/documents.ts';
import { ERASED_RULE } from '../src/lib/rules/refusal.ts';
import { placerOf, readDecoded, UnplacedObject, type Path, type ReadChange } from '../src/lib/rules/edits.ts';
import { judge, type Rule, type Who } from '../src/lib/rules/judge.ts';
import type { AccessBook } from './access-book.ts';
import type { Role } from '../src/lib/access/roles.ts';
import { mayAddManaged } from '../src/lib/members/rules.ts';
import type { ActorBook, Binding } from './actors.ts';
import { isDocumentChunk, splitChunks } from './chunks.ts';
import type { Registry } from './registry.ts';
import { isStale } from './stale-changes.ts';
import type { Vouch } from './vouching.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';
import { applicable, UnstoredChanges } from './unstored-changes.ts';

export type { Kind };

/** Who a connection is: undefined member for a device still on the old shared key. */
export interface Sender {
	neighbourhood: string;
	member?: string;
	device?: string;
	document: string;
}

export interface Refusal {
	hash: string;
	rule: string;
	path: Path;
}

/**
 * Accepted changes a paired relay vouched for (vouching.ts), by hash: they are that relay's
 * binding's member's, not the sender's (undefined: that relay knows no member for the actor either).
 */
export type Vouched = ReadonlyMap<string, Binding | undefined>;

export type Verdict =
	/** Nothing to judge, or all of it allowed: pass the message on as it is. */
	| { kind: 'pass'; accepted: ReadChange[]; vouched?: Vouched }
	/** Judge again once these documents are in memory. */
	| { kind: 'load'; documents: string[] }
	/** Judge again once the relay's copy of `document` holds these changes it accepted before (unstored-changes.ts). */
	| { kind: 'wait'; document: string; changes: string[] }
	/** Judge again once the paired relays said whether they hold these changes (vouching.ts). */
	| { kind: 'vouch'; changes: Array<{ hash: string; actor: string }> }
	/** Pass on only `keep` (each a change); tell the device about `refused`. */
	| { kind: 'cut'; keep: Uint8Array[]; accepted: ReadChange[]; refused: Refusal[]; vouched?: Vouched };

/** Rules the device is not told about: it did nothing wrong, the change came from someone else. */
export const UNTOLD_RULES: ReadonlySet<string> = new Set(['depends-on-refused', 'not-vouched']);

export interface RefereeOptions {
	registry: Registry;
	book: AccessBook;
	actors: ActorBook;
	/** The relay's copy of a document if it is in memory. */
	documentOf: (documentId: string) => A.Doc<unknown> | undefined;
	/** Whether the relay stores anything of a document (so it must be loaded before judging). */
	stored: (documentId: string) => boolean;
	rules: (kind: Kind) => Rule;
	/** Whether a document's history was rewritten by an erasure: old changes offered for it are refused (stale-changes.ts). */
	rewritten?: (documentId: string) => boolean;
	/** The neighbourhood's paired relays, asked about changes of actors that are not the sender's (vouching.ts). */
	vouching?: {
		paired: (neighbourhood: string) => boolean;
		known: (neighbourhood: string, document: string, hash: string) => Vouch | undefined;
	};
}


/** The kind of a document no root lists yet (a quarter a device just started), by what it holds. */
export function kindByShape(top: ReadonlySet<string>): Kind | undefined {
	if (top.has('events')) return 'agenda';
	if (top.has('year')) return 'helpArchive';
	if (top.has('posts')) return 'help';
	if (top.has('members')) return 'members';
	if (top.has('services') || top.has('organizations')) return 'map';
	return undefined;
}

/** Every single change in a message's entries: a whole-document chunk is opened into its changes. */
function singleChanges(entries: readonly Uint8Array[]): Uint8Array[] {
	const out: Uint8Array[] = [];
	for (const entry of entries) {
		for (const chunk of splitChunks(entry)) {
			if (!isDocumentChunk(chunk)) {
				out.push(chunk);
				continue;
			}
			// Its WebAssembly memory at once, not whenever V8 collects: a first sync can be megabytes.
			const whole = A.load(chunk);
			out.push(...A.getAllChanges(whole));
			A.free(whole);
		}
	}
	return out;
}

export class Referee {
	#o: RefereeOptions;
	/** Listed documents keep their kind: nothing may remove them from the root's lists. */
	#kinds = new Map<string, Kind>();
	#unstored = new UnstoredChanges();

	constructor(options: RefereeOptions) {
		this.#o = options;
	}

	#root(neighbourhood: string): string | undefined {
		const root = this.#o.registry.find(neighbourhood)?.root;
		return root ? documentIdOf(root) : undefined;
	}

	#kind(documentId: string, rootId: string, root: unknown): Kind | undefined {
		if (documentId === rootId) return 'root';
		const known = this.#kinds.get(documentId);
		if (known) return known;
		const kind = documentKind(root, `automerge:${documentId}`);
		if (kind) this.#kinds.set(documentId, kind);
		return kind;
	}

	/** Residents the member acts for: the relay's record, and the profiles that name them (members rules keep that honest). */
	#actsFor(member: string, roles: readonly Role[], book: readonly string[], members: A.Doc<unknown> | undefined): Set<string> {
		const actsFor = new Set(book);
		// Before the rules, any member could write `managedBy`: it counts only for those whose role lets them act for others.
		if (!mayAddManaged({ member, roles, actsFor })) return actsFor;
		for (const id of members ? this.#managed(members).get(member) ?? [] : []) actsFor.add(id);
		return actsFor;
	}

	/** Intermediary → residents, read once per version of the members document (it is read for every change). */
	#managedCache = new WeakMap<object, { heads: string; byIntermediary: Map<string, string[]> }>();
	#managed(members: A.Doc<unknown>): Map<string, string[]> {
		const heads = A.getHeads(members).join();
		const cached = this.#managedCache.get(members);
		if (cached?.heads === heads) return cached.byIntermediary;
		const byIntermediary = new Map<string, string[]>();
		const profiles = isRecord(members) && isRecord(members.members) ? members.members : {};
		for (const [id, profile] of Object.entries(profiles)) {
			const by = isRecord(profile) ? String(profile.managedBy ?? '') : '';
			if (by) byIntermediary.set(by, [...(byIntermediary.get(by) ?? []), id]);
		}
		this.#managedCache.set(members, { heads, byIntermediary });
		return byIntermediary;
	}

	#needed(documentIds: Array<string | undefined>): string[] {
		return documentIds.filter((id): id is string => id !== undefined && !this.#o.documentOf(id) && this.#o.stored(id));
	}

	/** Judges the changes of one sync message `sender` sent for `sender.document`. */
	judge(sender: Sender, entries: readonly Uint8Array[]): Verdict {
		if (entries.length === 0) return { kind: 'pass', accepted: [] };
		const rootId = this.#root(sender.neighbourhood);
		const root = rootId ? this.#o.documentOf(rootId) : undefined;
		const membersUrl = root && isRecord(root) && isRecord(root.docs) ? String(root.docs.members ?? '') : '';
		const membersId = membersUrl ? documentIdOf(membersUrl) : undefined;
		const missing = this.#needed([rootId, membersId, sender.document]);
		if (missing.length > 0) return { kind: 'load', documents: missing };

		const doc = this.#o.documentOf(sender.document);
		let fresh: Array<{ bytes: Uint8Array; decoded: ReturnType<typeof A.decodeChange> }>;
		try {
			// Decoded once: the hash says what the relay holds already, the operations what the rest does.
			fresh = singleChanges(entries)
				.map((bytes) => ({ bytes, decoded: A.decodeChange(bytes) }))
				.filter(({ decoded }) => !(doc && A.hasHeads(doc, [decoded.hash])));
		} catch {
			return this.#refuseAll(entries, 'unreadable-change');
		}
		const inMessage = new Set(fresh.map((c) => c.decoded.hash));
		const deps = fresh.flatMap((c) => c.decoded.deps).filter((hash) => !inMessage.has(hash));
		const awaited = this.#unstored.awaited(sender.document, deps, (hash) => doc !== undefined && A.hasHeads(doc, [hash]));
		if (awaited.length > 0) return { kind: 'wait', document: sender.document, changes: awaited };
		const members = membersId ? this.#o.documentOf(membersId) : undefined;
		// Whom an intermediary acts for is read from the members document: a resident they just
		// added is acted for in their next change, to another document.
		if (membersId && membersId !== sender.document) {
			const profiles = this.#unstored.all(membersId, (hash) => members !== undefined && A.hasHeads(members, [hash]));
			if (profiles.length > 0) return { kind: 'wait', document: membersId, changes: profiles };
		}
		const changes = fresh.map((c) => c.bytes);
		let read: ReadChange[];
		try {
			read = readDecoded(
				fresh.map((c) => c.decoded),
				placerOf(doc)
			);
		} catch (error) {
			const rule = error instanceof UnplacedObject ? 'unknown-object' : 'unreadable-change';
			return this.#refuseAll(entries, rule);
		}
		if (doc && this.#o.rewritten?.(sender.document) && read.some((c) => isStale(doc, c))) return this.#refuseAll(entries, ERASED_RULE, read);
		if (read.length === 0) return { kind: 'pass', accepted: [] };

		const member = sender.member;
		const record = member ? this.#o.book.member(sender.neighbourhood, member) : undefined;
		if (!member || !record || record.status !== 'active') return this.#refuseAll(entries, 'member-unknown', read);
		const who: Who = { member, roles: record.roles, actsFor: this.#actsFor(member, record.roles, record.actsFor, members) };

		const top = new Set([...Object.keys(isRecord(doc) ? doc : {}), ...read.flatMap((c) => c.edits.map((e) => e.path[0]))]);
		const kind = (rootId && this.#kind(sender.document, rootId, root)) || kindByShape(top);
		if (!kind) return this.#refuseAll(entries, 'unknown-document', read);

		const paired = this.#o.vouching?.paired(sender.neighbourhood) === true;
		const vouchOf = (change: ReadChange) => (paired ? this.#o.vouching!.known(sender.neighbourhood, sender.document, change.hash) : undefined);
		if (paired) {
			// Not the sender's own actor (or one this relay has not seen): a device with several
			// relays passes on other members' changes. The paired relays are asked first.
			const doubtful = read.filter((c) => this.#o.actors.get(sender.neighbourhood, c.actor)?.member !== member && vouchOf(c) === undefined);
			if (doubtful.length > 0) return { kind: 'vouch', changes: doubtful.map((c) => ({ hash: c.hash, actor: c.actor })) };
		}
		const vouched = new Map<string, Binding | undefined>();
		const trusted = (change: ReadChange): boolean => {
			const vouch = vouchOf(change);
			if (vouch?.held) vouched.set(change.hash, vouch.binding);
			return vouch?.held === true;
		};

		const seen = new Set(read.map((c) => `${c.actor}:${c.seq}`));
		const actorRule = (change: ReadChange): string | undefined => {
			const bound = this.#o.actors.get(sender.neighbourhood, change.actor);
			// Passed on from a paired relay that did not vouch for it (down, or it never held it):
			// dropped without a word to the device, whose own copy is not at fault.
			if (bound && bound.member !== member && paired) return 'not-vouched';
			if (bound) return bound.member === member ? undefined : 'actor-of-another';
			// An unbound actor with earlier changes the relay already holds wrote before the relay kept
			// bindings (or is someone else's, copied from history): nobody can vouch for it.
			if (change.seq > 1 && !seen.has(`${change.actor}:${change.seq - 1}`)) return 'actor-unknown';
			return undefined;
		};
		const judgement = judge(this.#o.rules(kind), read, who, doc, actorRule, trusted);
		this.#unstored.add(sender.document, applicable(judgement.accepted, (hash) => doc !== undefined && A.hasHeads(doc, [hash])));
		for (const change of judgement.accepted) {
			if (vouched.has(change.hash)) {
				const binding = vouched.get(change.hash);
				if (binding) this.#o.actors.bind(sender.neighbourhood, change.actor, binding);
				continue;
			}
			this.#o.actors.bind(sender.neighbourhood, change.actor, sender.device ? { member, device: sender.device } : { member });
		}
		const withVouched = vouched.size > 0 ? { vouched } : {};
		if (judgement.refused.length === 0) return { kind: 'pass', accepted: judgement.accepted, ...withVouched };
		const keepHashes = new Set(judgement.accepted.map((c) => c.hash));
		return {
			kind: 'cut',
			keep: changes.filter((_, i) => keepHashes.has(read[i].hash)),
			accepted: judgement.accepted,
			refused: judgement.refused.map((r) => ({ hash: r.change.hash, rule: r.rule, path: r.path })),
			...withVouched
		};
	}

	/** A wait for accepted changes ended (stored, or it ran out): what waited is judged as it stands. */
	settled(document: string, changes: readonly string[]): void {
		this.#unstored.settle(document, changes);
	}

	#refuseAll(entries: readonly Uint8Array[], rule: string, read?: ReadChange[]): Verdict {
		let hashes: string[] = [];
		try {
			hashes = read ? read.map((c) => c.hash) : singleChanges(entries).map((c) => A.decodeChange(c).hash);
		} catch {
			// Unreadable bytes have no hash to name; the device is told nothing it could act on.
		}
		return { kind: 'cut', keep: [], accepted: [], refused: hashes.map((hash) => ({ hash, rule, path: [] })) };
	}
}
