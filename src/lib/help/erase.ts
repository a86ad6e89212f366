// What erasing a member takes out of the help board: the text of their posts that were not done
// (a done post is the helper's record too; its title stays), the messages of their responses and
// their thank-you notes. Other members' posts, responses and history stay as they were.
import { messageKey, readMessages } from './conversation.ts';
import { updateText } from '@automerge/automerge/slim';
import { isRecord, textOf } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { Scrub } from '../erase/rewrite.ts';

/** What an erased post is titled (a title cannot be empty). */
export const ERASED_TITLE = '—';

/** Fields of a post that say what the poster wrote. */
const POST_TEXT = ['title', 'description', 'where'] as const;

const postsOf = (doc: unknown): Record<string, unknown> => (isRecord(doc) && isRecord(doc.posts) ? doc.posts : {});

const erasesText = (post: Record<string, unknown>, memberId: string) => textOf(post.author) === memberId && textOf(post.status) !== 'done';

/**
 * Their part of the conversations on a post ("Berichten"): their response's sealed message and each
 * message they wrote (or wrote for someone). Sealed text is unreadable to the relay, but it is
 * theirs: erased means gone, not merely locked. The neighbour's messages stay.
 */
export function conversationScrubs(postId: string, post: Record<string, unknown>, memberId: string): Scrub[] {
	const scrubs: Scrub[] = [];
	for (const [responseId, response] of Object.entries(isRecord(post.responses) ? post.responses : {})) {
		if (!isRecord(response)) continue;
		const at = ['posts', postId, 'responses', responseId];
		// Their response's sealed message, and each message they wrote in a conversation.
		if (textOf(response.by) === memberId && 'sealed' in response) scrubs.push({ path: [...at, 'sealed'] });
		for (const message of readMessages(response).items) {
			if (message.by === memberId || message.actedBy === memberId) scrubs.push({ path: [...at, messageKey(message.id)] });
		}
	}
	return scrubs;
}

/** A quarter's document (open or sealed). */
export function boardScrubs(doc: unknown, memberId: string): Scrub[] {
	const scrubs: Scrub[] = [];
	for (const [postId, post] of Object.entries(postsOf(doc))) {
		if (!isRecord(post)) continue;
		const at = ['posts', postId];
		if (erasesText(post, memberId)) for (const field of POST_TEXT) scrubs.push({ path: [...at, field], ...(field === 'title' ? { replace: ERASED_TITLE } : {}) });
		for (const [responseId, response] of Object.entries(isRecord(post.responses) ? post.responses : {})) {
			if (isRecord(response) && textOf(response.by) === memberId) scrubs.push({ path: [...at, 'responses', responseId, 'message'] });
		}
		if (isRecord(post.thanks) && textOf(post.thanks.by) === memberId) scrubs.push({ path: [...at, 'thanks', 'message'] });
		scrubs.push(...conversationScrubs(postId, post, memberId));
	}
	return scrubs;
}

/** After the rewrite: the member's posts that were still open leave the board, their text emptied. */
export function tidyBoard(doc: unknown, memberId: string, at: string): void {
	for (const post of Object.values(postsOf(doc))) {
		if (!isRecord(post) || !erasesText(post, memberId)) continue;
		if (typeof post.description === 'string' && post.description !== '') updateText(doc as never, ['posts', textOf(post.id), 'description'], '');
		if (textOf(post.status) !== 'withdrawn') {
			post.status = imm('withdrawn');
			post.withdrawnAt = imm(at);
		}
	}
}

/** A year's archive: each post one JSON value, rewritten without what the member wrote. */
export function archiveScrubs(doc: unknown, memberId: string): Scrub[] {
	const scrubs: Scrub[] = [];
	for (const [postId, value] of Object.entries(postsOf(doc))) {
		const post = parse(textOf(value));
		if (!post) continue;
		const theirs =
			erasesText(post, memberId) ||
			(Array.isArray(post.responses) && post.responses.some((r) => isRecord(r) && textOf(r.by) === memberId)) ||
			(isRecord(post.thanks) && textOf(post.thanks.by) === memberId);
		if (theirs) scrubs.push({ path: ['posts', postId], replace: (old) => archivedWithout(old, memberId) });
	}
	return scrubs;
}

function parse(json: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(json);
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/** One archived post's JSON without the member's text. */
export function archivedWithout(json: string, memberId: string): string {
	const post = parse(json);
	if (!post) return '';
	if (erasesText(post, memberId)) Object.assign(post, { title: ERASED_TITLE, description: '', where: '' });
	if (Array.isArray(post.responses)) for (const r of post.responses) if (isRecord(r) && textOf(r.by) === memberId) r.message = '';
	if (isRecord(post.thanks) && textOf(post.thanks.by) === memberId) post.thanks.message = '';
	return JSON.stringify(post);
}
