// Who may change what on the help board, as one table for the relay (which judges every incoming
// change with these rules) and for the pages (which show a button only when the same `may…`
// function says yes), so an honest device never writes what the relay refuses.
//
// Rules lean only on facts no concurrent change can alter (a post's author, a response's `by`, an
// id, whether a key existed) and on the person's roles: a change made offline is judged on the
// relay against a board that may have moved on meanwhile (a post marked done, a helper accepted),
// and must still pass.
import { isManager, mayActAs, type Rule, type Scope, type Who } from '../rules/judge.ts';
import type { Edit, Made, Path } from '../rules/edits.ts';
import { isSealed } from '../crypto/sealed.ts';
import { MESSAGE_KEY, mayTalk } from './conversation.ts';
import { CONTACTS, KINDS, PERIOD, STATUSES, WHEN } from './document.ts';

/** The poster, or their intermediary: edit, close, reopen, renew, accept helpers, thank. */
export const mayEditPost = (who: Who, post: { author: string }): boolean => mayActAs(who, post.author);

/** Accepting a helper is the poster's choice. */
export const mayAccept = mayEditPost;

/** Managers moderate: they hide (with a reason) and restore, and change nothing else of a post. */
export const mayHidePost = (who: Who): boolean => isManager(who);

/** Post as `memberId`: oneself, or a resident without a device one acts for. */
export const mayPostAs = (who: Who, memberId: string): boolean => mayActAs(who, memberId);

/** Respond as `memberId` to a post: someone one may act as, who is not the poster. */
export const mayRespondAs = (who: Who, post: { author: string }, memberId: string): boolean =>
	mayActAs(who, memberId) && memberId !== post.author;

/** Withdraw or restore a response: its responder, or their intermediary. */
export const mayChangeResponse = (who: Who, response: { by: string }): boolean => mayActAs(who, response.by);

/**
 * Whether a post can change at all. An archived post is a copy, and its sealed quarter is
 * read-only: the relay refuses every change to it (see `sealedRules`).
 */
export const postIsLive = (post: { archivedFrom?: string; documentUrl: string }, sealed: readonly string[]): boolean =>
	!post.archivedFrom && !sealed.includes(post.documentUrl);

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const YEAR = /^\d{4}$/;

const isMade = (value: unknown, type: Made['made']): boolean =>
	typeof value === 'object' && value !== null && (value as Made).made === type;
/** A stored id as a rule may compare it; never `String()` of peer data, which a map can make throw. */
const storedText = (scope: Scope, path: Path): string => {
	const value = scope.before(path);
	return typeof value === 'string' ? value : '';
};
const putString = (edit: Edit): boolean => edit.kind === 'put' && typeof edit.value === 'string';
const oneOf = (list: readonly string[]) => (edit: Edit) => edit.kind === 'put' && typeof edit.value === 'string' && list.includes(edit.value);

/**
 * A map the document is made with (`posts`, `history` of a new post): made once, with the object
 * that holds it, never replaced or deleted.
 */
function madeOnce(edit: Edit, scope: Scope, type: Made['made'] = 'map'): string | undefined {
	if (edit.kind === 'delete') return 'help.no-delete';
	if (edit.kind === 'put' && isMade(edit.value, type) && scope.before(edit.path) === undefined) return undefined;
	return 'help.no-replace';
}

/** A history entry's JSON must name someone the writer may act as, and the writer as `actedBy`. */
function honestEntry(value: unknown, who: Who): boolean {
	if (typeof value !== 'string') return false;
	let entry: unknown;
	try {
		entry = JSON.parse(value);
	} catch {
		return false;
	}
	if (typeof entry !== 'object' || entry === null) return false;
	const { by, actedBy } = entry as { by?: unknown; actedBy?: unknown };
	if (!mayActAs(who, by)) return false;
	return actedBy === undefined || (actedBy === who.member && actedBy !== by);
}

/** `actedBy` on a post or response: absent when one acts for oneself, else the writer. */
const honestActedBy = (scope: Scope, path: Path, who: Who, by: unknown): boolean => {
	const actedBy = scope.after(path);
	return actedBy === undefined || (actedBy === who.member && actedBy !== by);
};

/** What the poster (or their intermediary) writes, by field: a check of the edit. */
const POST_FIELDS: Record<string, (edit: Edit) => boolean> = {
	kind: oneOf(KINDS),
	category: putString,
	title: putString,
	where: putString,
	contact: oneOf(CONTACTS),
	description: (edit) => edit.kind === 'text' || (edit.kind === 'put' && isMade(edit.value, 'text')),
	updatedAt: putString,
	renewedAt: putString,
	status: oneOf(STATUSES),
	agreedAt: putString,
	doneAt: (edit) => putString(edit) || edit.kind === 'delete',
	withdrawnAt: (edit) => putString(edit) || edit.kind === 'delete'
};

/** Fields a new post is made with, besides POST_FIELDS and the maps checked on their own. */
const CREATED_FIELDS: Record<string, (edit: Edit) => boolean> = {
	...POST_FIELDS,
	id: putString,
	author: putString,
	actedBy: putString,
	createdAt: putString,
	status: oneOf(['open']),
	hidden: (edit) => edit.kind === 'put' && edit.value === null
};

function whenRule(edit: Edit, rest: Path): boolean {
	if (rest.length === 0) return edit.kind === 'put' && isMade(edit.value, 'map');
	if (rest.length !== 1) return false;
	if (rest[0] === 'kind') return oneOf(WHEN)(edit);
	return (rest[0] === 'from' || rest[0] === 'to') && putString(edit);
}

function thanksRule(edit: Edit, rest: Path, who: Who): boolean {
	if (rest.length === 0) return edit.kind === 'put' && isMade(edit.value, 'map');
	if (rest.length !== 1 || !putString(edit) || edit.kind !== 'put') return false;
	if (rest[0] === 'by') return mayActAs(who, edit.value);
	return rest[0] === 'at' || rest[0] === 'message';
}

function historyRule(edit: Edit, who: Who, scope: Scope, post: Path, rest: Path): string | undefined {
	if (rest.length === 0) return scope.isNew(post) ? madeOnce(edit, scope) : edit.kind === 'delete' ? 'help.no-delete' : 'help.no-replace';
	if (rest.length !== 1 || edit.kind !== 'put' || scope.before(edit.path) !== undefined) return 'help.history-append';
	return honestEntry(edit.value, who) ? undefined : 'help.history-by';
}

function hideRule(edit: Edit, who: Who, scope: Scope, post: Path, rest: Path): string | undefined {
	if (!mayHidePost(who)) return 'help.hide-manager';
	const hidden = [...post, 'hidden'];
	if (rest.length === 0) {
		if (edit.kind === 'put' && edit.value === null) return undefined;
		if (edit.kind !== 'put' || !isMade(edit.value, 'map')) return 'help.shape';
		const reason = scope.after([...hidden, 'reason']);
		if (scope.after([...hidden, 'by']) !== who.member) return 'help.hide-manager';
		return typeof reason === 'string' && reason.trim() !== '' ? undefined : 'help.hide-reason';
	}
	if (!scope.isNew(hidden) || rest.length !== 1 || !['by', 'at', 'reason'].includes(rest[0]!) || !putString(edit)) return 'help.shape';
	return undefined;
}

const RESPONSE_CREATED = ['id', 'by', 'actedBy', 'message', 'at'];

/**
 * A message in a response's conversation: a new key only, written once, by someone who acts as the
 * poster or the responder and names themself; its text sealed (the relay cannot read it, only
 * check that it is a sealed value).
 */
function messageRule(edit: Edit, who: Who, scope: Scope, post: Path, response: Path, messageId: string): string | undefined {
	if (edit.kind === 'delete') return 'help.no-delete';
	if (edit.kind !== 'put' || typeof edit.value !== 'string') return 'help.shape';
	if (scope.before(edit.path) !== undefined) return 'help.message-fixed';
	let message: unknown;
	try {
		message = JSON.parse(edit.value);
	} catch {
		return 'help.shape';
	}
	if (typeof message !== 'object' || message === null) return 'help.shape';
	const { id, by, actedBy, at, sealed } = message as Record<string, unknown>;
	if (id !== messageId || typeof at !== 'string' || typeof sealed !== 'string' || !isSealed(sealed)) return 'help.shape';
	const author = storedText(scope, [...post, 'author']);
	const responder = storedText(scope, [...response, 'by']);
	if (!mayTalk(who, { author }, { by: responder }) || !mayActAs(who, by) || (by !== author && by !== responder)) return 'help.message-party';
	return actedBy === undefined || (actedBy === who.member && actedBy !== by) ? undefined : 'help.acted-by';
}

function responseRule(edit: Edit, who: Who, scope: Scope, post: Path, rest: Path): string | undefined {
	if (rest.length === 0) return scope.isNew(post) ? madeOnce(edit, scope) : edit.kind === 'delete' ? 'help.no-delete' : 'help.no-replace';
	const [responseId, field, ...deeper] = rest;
	const response = [...post, 'responses', responseId!];
	if (field === undefined) {
		if (edit.kind === 'delete') return 'help.no-delete';
		if (edit.kind !== 'put' || !isMade(edit.value, 'map') || scope.before(response) !== undefined) return 'help.no-replace';
		const by = scope.after([...response, 'by']);
		if (!ID.test(responseId!) || scope.after([...response, 'id']) !== responseId) return 'help.shape';
		const author = scope.isNew(post) ? scope.after([...post, 'author']) : scope.before([...post, 'author']);
		if (typeof author !== 'string' || !mayRespondAs(who, { author }, typeof by === 'string' ? by : '')) return 'help.response-owner';
		return honestActedBy(scope, [...response, 'actedBy'], who, by) ? undefined : 'help.acted-by';
	}
	if (deeper.length > 0) return 'help.shape';
	if (scope.isNew(response)) {
		if (field === 'sealed') return edit.kind === 'put' && typeof edit.value === 'string' && isSealed(edit.value) ? undefined : 'help.shape';
		return RESPONSE_CREATED.includes(field) && putString(edit) ? undefined : 'help.shape';
	}
	const messageId = MESSAGE_KEY.exec(field)?.[1];
	if (messageId) return messageRule(edit, who, scope, post, response, messageId);
	if (field === 'withdrawnAt') {
		if (!mayChangeResponse(who, { by: storedText(scope, [...response, 'by']) })) return 'help.response-owner';
		return putString(edit) || edit.kind === 'delete' ? undefined : 'help.shape';
	}
	if (field === 'acceptedAt') {
		if (!mayAccept(who, { author: storedText(scope, [...post, 'author']) })) return 'help.accept-author';
		if (edit.kind === 'delete') return 'help.no-delete';
		return putString(edit) ? undefined : 'help.shape';
	}
	return edit.kind === 'delete' ? 'help.no-delete' : 'help.response-fixed';
}

function postRule(edit: Edit, who: Who, scope: Scope, postId: string, field: string | undefined, rest: Path): string | undefined {
	const post = ['posts', postId];
	if (field === undefined) {
		const made = madeOnce(edit, scope);
		if (made) return made;
		if (!ID.test(postId) || scope.after([...post, 'id']) !== postId) return 'help.shape';
		const author = scope.after([...post, 'author']);
		if (!mayPostAs(who, typeof author === 'string' ? author : '')) return 'help.post-author';
		return honestActedBy(scope, [...post, 'actedBy'], who, author) ? undefined : 'help.acted-by';
	}
	if (field === 'history') return historyRule(edit, who, scope, post, rest);
	if (field === 'responses') return responseRule(edit, who, scope, post, rest);
	if (scope.isNew(post)) {
		// The post-level edit checks author and id; here only that each field is one the app writes.
		if (field === 'when') return whenRule(edit, rest) ? undefined : 'help.shape';
		const check = CREATED_FIELDS[field];
		return rest.length === 0 && check?.(edit) ? undefined : 'help.shape';
	}
	if (field === 'hidden') return hideRule(edit, who, scope, post, rest);
	if (!mayEditPost(who, { author: storedText(scope, [...post, 'author']) })) return 'help.post-author';
	if (field === 'when') return whenRule(edit, rest) ? undefined : 'help.shape';
	if (field === 'thanks') return thanksRule(edit, rest, who) ? undefined : 'help.shape';
	const check = POST_FIELDS[field];
	if (rest.length === 0 && check?.(edit)) return undefined;
	return edit.kind === 'delete' ? 'help.no-delete' : 'help.shape';
}

/** A period document of the help board: one quarter's posts. */
export const helpRules: Rule = (edit, who, scope) => {
	const [top, postId, field, ...rest] = edit.path;
	if (top === 'period') {
		if (scope.before(['period']) !== undefined) return 'help.period-fixed';
		return edit.kind === 'put' && typeof edit.value === 'string' && PERIOD.test(edit.value) ? undefined : 'help.shape';
	}
	if (top !== 'posts') return 'help.shape';
	if (postId === undefined) return madeOnce(edit, scope);
	return postRule(edit, who, scope, postId, field, rest);
};

function archivedPost(key: string, value: unknown): boolean {
	if (typeof value !== 'string') return false;
	let post: unknown;
	try {
		post = JSON.parse(value);
	} catch {
		return false;
	}
	if (typeof post !== 'object' || post === null) return false;
	const { id, author, status, archivedFrom } = post as Record<string, unknown>;
	return id === key && typeof author === 'string' && ID.test(author) && (status === 'done' || status === 'withdrawn') && typeof archivedFrom === 'string';
}

/**
 * A year's archive: any device archives (the first to load the board after a quarter closed), so
 * any member may add a post, once, as the app writes it. Two devices that archive the same quarter
 * at once write the same value, and the second is no change of what is stored. Whether an entry
 * is a faithful copy of its quarter cannot be told from this document alone: the relay, holding
 * that quarter, can ask `faithfulArchiveEntry` (archive-check.ts).
 */
export const archiveRules: Rule = (edit, _who, scope) => {
	const [top, postId, ...rest] = edit.path;
	if (top === 'year') {
		if (scope.before(['year']) !== undefined) return 'help.archive-year-fixed';
		return edit.kind === 'put' && typeof edit.value === 'string' && YEAR.test(edit.value) ? undefined : 'help.shape';
	}
	if (top !== 'posts') return 'help.shape';
	if (postId === undefined) return madeOnce(edit, scope);
	if (rest.length > 0) return 'help.shape';
	if (edit.kind === 'delete') return 'help.no-delete';
	if (edit.kind !== 'put') return 'help.shape';
	const stored = scope.before(edit.path);
	if (stored !== undefined && stored !== edit.value) return 'help.archive-append';
	return archivedPost(postId, edit.value) ? undefined : 'help.shape';
};

/**
 * A sealed quarter: its posts live on in the archive, and archiving writes only the archive and
 * the root, never the quarter. So nothing changes it any more; the pages offer no button for a
 * post in it (`postIsLive`).
 */
export const sealedRules: Rule = () => 'help.sealed';
