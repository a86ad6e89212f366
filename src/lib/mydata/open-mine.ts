// Opens, with this device's key ring, what the people in "Mijn gegevens" wrote sealed: their
// responses' messages and their messages in conversations. Only theirs: a neighbour's message this
// device could open too is not opened here, so it cannot end up in the download by mistake.
import type { KeyRing } from '../crypto/keys.ts';
import { openOnce } from '../crypto/open-cache.ts';
import { messageContext, responseContext } from '../help/conversation.ts';
import type { Post } from '../help/view.ts';
import type { OpenedTexts } from './collect.ts';
import { contactContext } from '../members/contact.ts';
import { consentContext } from '../members/consent.ts';
import type { Member } from '../members/schema.ts';

export async function openMine(
	posts: readonly Post[],
	people: readonly string[],
	ring: KeyRing | undefined,
	members: readonly Member[] = []
): Promise<OpenedTexts> {
	const texts = new Map<string, string>();
	if (!ring) return () => undefined;
	const mine = new Set(people);
	const jobs: Promise<void>[] = [];
	const add = (sealed: string, context: string) =>
		jobs.push(
			openOnce(sealed, [ring], context).then((text) => {
				if (text !== undefined) texts.set(sealed, text);
			})
		);
	for (const post of posts) {
		for (const response of post.responses) {
			if (response.sealed && mine.has(response.by)) add(response.sealed, responseContext(post.id, response.id));
			for (const message of response.messages) {
				if (mine.has(message.by)) add(message.sealed, messageContext(post.id, response.id, message.id));
			}
		}
	}
	// Their own phone number and street, when sealed to fewer than everyone.
	for (const member of members) {
		if (!mine.has(member.id)) continue;
		if (member.phoneSealed) add(member.phoneSealed, contactContext(member.id, 'phone'));
		if (member.areaSealed) add(member.areaSealed, contactContext(member.id, 'area'));
		if (member.consent?.sealed) add(member.consent.sealed, consentContext(member.id));
	}
	await Promise.all(jobs);
	return (sealed) => texts.get(sealed);
}
