// "Berichten": after a response, the poster and the helper (and the intermediary of either) write
// each other short messages on the post. Each message, like the response's own message, is sealed
// to exactly those people's keys (../crypto/sealed.ts): other members, the relay and backups hold
// ciphertext only.
//
// A message is one immutable JSON value under its own key in the response (`msg.<id>`), written
// once and never edited. Not a `messages` map: responses made before conversations existed have
// none, and two devices creating it at once would each make their own map, and one would be lost.
import * as v from 'valibot';
import { id, isoDate, isRecord, jsonOf, textOf } from '../automerge/fields.ts';
import { isSealed, type Reader } from '../crypto/sealed.ts';
import type { Member } from '../members/schema.ts';
import { readersFor } from '../members/readers.ts';
import { mayActAs, type Who } from '../rules/judge.ts';
import { linesInput } from '../validation/plain-text.ts';

export const MESSAGE_KEY = /^msg\.([A-Za-z0-9_-]{8,64})$/;
export const messageKey = (messageId: string): `msg.${string}` => `msg.${messageId}`;

/** What a person types: a short message. */
export const MessageInput = v.object({ text: v.pipe(linesInput(500), v.minLength(1, 'required')) });

const sealedText = v.pipe(v.string(), v.check(isSealed));

/** A stored message as JSON: who wrote it (and for whom), when, and the sealed text. */
export const MessageFields = v.object({
	id,
	by: id,
	actedBy: v.optional(id),
	at: isoDate,
	sealed: sealedText
});
export type ConversationMessage = v.InferOutput<typeof MessageFields>;

const MessageView = jsonOf(MessageFields);

/** The messages stored in a response, oldest first; anything malformed is skipped and counted. */
export function readMessages(response: unknown): { items: ConversationMessage[]; skipped: number } {
	if (!isRecord(response)) return { items: [], skipped: 0 };
	const items: ConversationMessage[] = [];
	let skipped = 0;
	for (const [key, value] of Object.entries(response)) {
		const match = MESSAGE_KEY.exec(key);
		// An empty value is a message whose writer was erased (../erase): gone, not damaged.
		if (!match || textOf(value) === '') continue;
		const read = v.safeParse(MessageView, value);
		if (read.success && read.output.id === match[1]) items.push(read.output);
		else skipped += 1;
	}
	items.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
	return { items, skipped };
}

/** Write in a response's conversation: someone who acts as the poster or as the responder. */
export const mayTalk = (who: Who, post: { author: string }, response: { by: string }): boolean =>
	mayActAs(who, post.author) || mayActAs(who, response.by);

/** The two sides of a conversation: poster and responder, each with their intermediary. */
export function conversationMembers(post: { author: string; actedBy?: string }, response: { by: string; actedBy?: string }, members: readonly Member[]): string[] {
	const people = new Set<string>();
	for (const side of [post.author, response.by]) {
		people.add(side);
		const managedBy = members.find((m) => m.id === side)?.managedBy;
		if (managedBy) people.add(managedBy);
	}
	return [...people];
}

/**
 * Whom to seal to: both sides' keys (an intermediary's for a resident without a device). `own`:
 * this device's member and newest key, for the moments before their profile publishes it.
 */
export const conversationReaders = (post: { author: string }, response: { by: string }, members: readonly Member[], own?: Reader): Reader[] =>
	readersFor([post.author, response.by], members, own);

/** People in the conversation whose app cannot read messages yet (no key published). */
export const withoutKey = (post: { author: string }, response: { by: string }, members: readonly Member[]): string[] =>
	conversationMembers(post, response, members).filter((memberId) => {
		const member = members.find((m) => m.id === memberId);
		return member !== undefined && !member.managedBy && !member.publicKey;
	});

/** Where a sealed text belongs; bound into the sealing, so it opens nowhere else. */
export const responseContext = (postId: string, responseId: string): string => `help/${postId}/${responseId}`;
export const messageContext = (postId: string, responseId: string, messageId: string): string => `help/${postId}/${responseId}/${messageId}`;
