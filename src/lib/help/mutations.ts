// Every change to the help board. Each records who acted (and for whom) in the post's history,
// writes only what changed so concurrent edits of other fields survive, and never deletes.
import { updateText } from '@automerge/automerge/slim';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { writer, type BasedHandle } from '../automerge/based.ts';
import { randomId } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import { check, type Invalid, type Valid } from '../validation/check.ts';
import { cleanLines, clip } from '../validation/plain-text.ts';
import type { Actor, HelpDoc, HistoryEntryData, PostDoc } from './document.ts';
import { messageKey } from './conversation.ts';
import { PostInput, ResponseInput } from './schema.ts';

export type { PostInput };

/**
 * What a mutation needs of a period document: a `DocHandle` in the app, and in benchmarks and
 * tests anything that applies a change (a plain `Automerge.change` is much cheaper in bulk).
 */
export type HelpHandle = Pick<DocHandle<HelpDoc>, 'change'>;

export const checkPost = (input: unknown): Valid<PostInput> | Invalid => check(PostInput, input);

export const checkResponse = (input: unknown): Valid<{ message: string }> | Invalid => check(ResponseInput, input);

export const blankPost = (kind: 'request' | 'offer' = 'request'): PostInput => ({
	kind,
	category: '',
	title: '',
	description: '',
	whenKind: 'flexible',
	from: '',
	to: '',
	where: '',
	contact: 'noaber'
});

let logged = 0;
/**
 * History keys sort in the order this device wrote them: the history is listed by time, and
 * entries of the same millisecond (one tap can write two) by key, so they keep their order, and
 * every device lists them alike. The random part keeps two devices' keys apart.
 */
const historyKey = () => `${(++logged).toString(36).padStart(6, '0')}${randomId().slice(0, 20)}`;

function log(post: PostDoc, actor: Actor, action: string, at: string, extra: { fields?: string[]; note?: string } = {}) {
	const entry: HistoryEntryData = { at, by: actor.memberId, action };
	if (actor.actedBy && actor.actedBy !== actor.memberId) entry.actedBy = actor.actedBy;
	if (extra.fields) entry.fields = extra.fields;
	if (extra.note) entry.note = extra.note;
	post.history[historyKey()] = imm(JSON.stringify(entry));
}

function when(input: PostInput): PostDoc['when'] {
	const value: PostDoc['when'] = { kind: imm(input.whenKind) };
	if (input.whenKind !== 'flexible') value.from = imm(input.from);
	if (input.whenKind === 'period') value.to = imm(input.to);
	return value;
}

/** A new post in the period document `handle`; returns its id. */
export function createPost(handle: HelpHandle, input: PostInput, actor: Actor, now = new Date()): string {
	const id = randomId();
	const at = now.toISOString();
	handle.change((doc) => {
		const post: PostDoc = {
			id: imm(id),
			kind: imm(input.kind),
			category: imm(input.category),
			title: imm(input.title),
			description: input.description,
			when: when(input),
			where: imm(input.where),
			contact: imm(input.contact),
			author: imm(actor.memberId),
			createdAt: imm(at),
			updatedAt: imm(at),
			renewedAt: imm(at),
			status: imm('open'),
			hidden: null,
			responses: {},
			history: {}
		};
		if (actor.actedBy && actor.actedBy !== actor.memberId) post.actedBy = imm(actor.actedBy);
		doc.posts[id] = post;
		log(doc.posts[id], actor, 'created', at);
	});
	return id;
}

function withPost(handle: HelpHandle, postId: string, change: (post: PostDoc) => void): boolean {
	let found = false;
	handle.change((doc) => {
		const post = doc.posts[postId];
		if (!post) return;
		found = true;
		change(post);
	});
	return found;
}

/**
 * Returns the fields that changed; an unchanged form records nothing. With `base` (the heads
 * when the form was opened) it is saved as of that moment, so a description someone else
 * changed meanwhile keeps their words next to the form's.
 */
export function editPost<H>(
	handle: HelpHandle | BasedHandle<HelpDoc, H>,
	postId: string,
	input: PostInput,
	actor: Actor,
	now = new Date(),
	base?: H
): string[] {
	const changed: string[] = [];
	const at = now.toISOString();
	writer(handle, base)((doc) => {
		const post = doc.posts[postId];
		if (!post) return;
		const simple = { kind: input.kind, category: input.category, title: input.title, where: input.where, contact: input.contact } as const;
		for (const [field, value] of Object.entries(simple) as [keyof typeof simple, string][]) {
			if (String(post[field]) !== value) {
				post[field] = imm(value);
				changed.push(field);
			}
		}
		if (post.description !== input.description) {
			updateText(post, ['description'], input.description);
			changed.push('description');
		}
		const next = when(input);
		if (String(post.when.kind) !== String(next.kind) || String(post.when.from ?? '') !== String(next.from ?? '') || String(post.when.to ?? '') !== String(next.to ?? '')) {
			post.when = next;
			changed.push('when');
		}
		if (changed.length === 0) return;
		post.updatedAt = imm(at);
		log(post, actor, 'edited', at, { fields: changed });
	});
	return changed;
}

/**
 * A response. Its message goes in sealed (`sealed`, made with `id` as the response's id) when the
 * conversation's readers have keys; in plain text only from code that predates sealing.
 */
export function respond(
	handle: HelpHandle,
	postId: string,
	message: string | { id: string; sealed: string },
	actor: Actor,
	now = new Date()
): string | undefined {
	const id = typeof message === 'string' ? randomId() : message.id;
	const at = now.toISOString();
	const found = withPost(handle, postId, (post) => {
		const plain = typeof message === 'string' ? clip(cleanLines(message), 2000) : '';
		const response: PostDoc['responses'][string] = { id: imm(id), by: imm(actor.memberId), message: imm(plain), at: imm(at) };
		if (typeof message !== 'string') response.sealed = imm(message.sealed);
		if (actor.actedBy && actor.actedBy !== actor.memberId) response.actedBy = imm(actor.actedBy);
		post.responses[id] = response;
		log(post, actor, 'responded', at);
	});
	return found ? id : undefined;
}

export function withdrawResponse(handle: HelpHandle, postId: string, responseId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		const response = post.responses[responseId];
		if (!response || response.withdrawnAt) return;
		response.withdrawnAt = imm(at);
		log(post, actor, 'response-withdrawn', at);
	});
}

/** Undoes "withdraw my response": the response counts again, with its message and place. */
export function restoreResponse(handle: HelpHandle, postId: string, responseId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		const response = post.responses[responseId];
		if (!response?.withdrawnAt) return;
		delete response.withdrawnAt;
		log(post, actor, 'response-restored', at);
	});
}

/** The poster accepts a helper; the first acceptance makes the post agreed. More may follow. */
export function accept(handle: HelpHandle, postId: string, responseId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		const response = post.responses[responseId];
		if (!response || response.acceptedAt || response.withdrawnAt) return;
		response.acceptedAt = imm(at);
		if (String(post.status) === 'open') {
			post.status = imm('agreed');
			post.agreedAt ??= imm(at);
		}
		log(post, actor, 'accepted', at, { note: String(response.by) });
	});
}

function setStatus(post: PostDoc, status: 'open' | 'done' | 'withdrawn', at: string) {
	post.status = imm(status);
	if (status === 'done') post.doneAt = imm(at);
	if (status === 'withdrawn') post.withdrawnAt = imm(at);
}

export function markDone(handle: HelpHandle, postId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		if (String(post.status) === 'done') return;
		setStatus(post, 'done', at);
		log(post, actor, 'done', at);
	});
}

export function withdrawPost(handle: HelpHandle, postId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		if (String(post.status) === 'withdrawn') return;
		setStatus(post, 'withdrawn', at);
		log(post, actor, 'withdrawn', at);
	});
}

/**
 * Undoes "done" or "withdrawn": the post is open again, or agreed when a helper was accepted.
 * The 30-day question keeps its own clock; renewing is a separate choice.
 */
export function reopen(handle: HelpHandle, postId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		const status = String(post.status);
		if (status !== 'done' && status !== 'withdrawn') return;
		post.status = imm(post.agreedAt ? 'agreed' : 'open');
		delete post.doneAt;
		delete post.withdrawnAt;
		log(post, actor, 'reopened', at);
	});
}

/** "Still needed": the post stays (or is again) open and the 30-day question waits again. */
export function renew(handle: HelpHandle, postId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		post.renewedAt = imm(at);
		if (String(post.status) === 'withdrawn') post.status = imm(post.agreedAt ? 'agreed' : 'open');
		log(post, actor, 'renewed', at);
	});
}

export function thank(handle: HelpHandle, postId: string, message: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		post.thanks = { by: imm(actor.memberId), at: imm(at), message: imm(clip(cleanLines(message).trim(), 500)) };
		log(post, actor, 'thanked', at);
	});
}

/** Moderation hides, never deletes: who, when and why stay visible to every member. No reason, no hiding. */
export function hide(handle: HelpHandle, postId: string, reason: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	const why = clip(cleanLines(reason).trim(), 500);
	if (!why) return false;
	return withPost(handle, postId, (post) => {
		post.hidden = { by: imm(actor.memberId), at: imm(at), reason: imm(why) };
		log(post, actor, 'hidden', at, { note: why });
	});
}

export function restore(handle: HelpHandle, postId: string, actor: Actor, now = new Date()) {
	const at = now.toISOString();
	return withPost(handle, postId, (post) => {
		if (!post.hidden) return;
		post.hidden = null;
		log(post, actor, 'restored', at);
	});
}

/**
 * One message in a response's conversation, already sealed (conversation.ts) under `id`. Not in
 * the post's history: that is read by every member, and a conversation is nobody else's business.
 */
export function sendMessage(
	handle: HelpHandle,
	postId: string,
	responseId: string,
	message: { id: string; sealed: string },
	actor: Actor,
	now = new Date()
): boolean {
	let sent = false;
	withPost(handle, postId, (post) => {
		const response = post.responses[responseId];
		if (!response || response[messageKey(message.id)] !== undefined) return;
		const stored: Record<string, string> = { id: message.id, by: actor.memberId, at: now.toISOString(), sealed: message.sealed };
		if (actor.actedBy && actor.actedBy !== actor.memberId) stored.actedBy = actor.actedBy;
		response[messageKey(message.id)] = imm(JSON.stringify(stored));
		sent = true;
	});
	return sent;
}
