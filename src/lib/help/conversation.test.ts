import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import type { Role } from '../access/roles.ts';
import { currentKey, publicKeyText, rotate, startRing, type KeyRing } from '../crypto/keys.ts';
import { readersOf } from '../crypto/sealed.ts';
import { open, seal } from '../crypto/sealing.ts';
import type { MembersDoc } from '../members/document.ts';
import { addManaged, join, publishKey, type ProfileInput } from '../members/mutations.ts';
import { membersRules } from '../members/rules.ts';
import { readMembers } from '../members/view.ts';
import { DeviceCopy } from '../rules/device-copy.ts';
import { RefereeCopy } from '../rules/refereed-doc.ts';
import type { Rule, Who } from '../rules/judge.ts';
import { conversationReaders, messageContext, responseContext, withoutKey } from './conversation.ts';
import type { HelpDoc } from './document.ts';
import { blankPost, createPost, respond, sendMessage } from './mutations.ts';
import { newPeriodDoc } from './periods.ts';
import { helpRules } from './rules.ts';
import { readPosts } from './view.ts';

const person = (member: string, roles: Role[] = [], actsFor: string[] = []): Who => ({ member, roles, actsFor: new Set(actsFor) });
const ann = person('ann-00001');
const bert = person('bert-0001');
const cor = person('cor-00001');
const vera = person('vera-0001', ['intermediary'], ['henk-0001']);
const profile = (name: string): ProfileInput => ({ name, area: '', phone: '', phoneVisibility: 'nobody', helpWith: [], helpNote: '' });

function act<T>(rule: Rule, doc: A.Doc<T>, who: Who, mutation: (handle: DeviceCopy<T>) => unknown) {
	const copy = new DeviceCopy(A.clone(doc), rule, who);
	mutation(copy);
	return { broken: copy.refused.map((r) => r.rule), doc: copy.doc };
}

/** Ann, Bert, Cor and Vera with keys; Henk (no device) acts through Vera. Ann asks for help. */
async function neighbourhood() {
	const rings = new Map<string, KeyRing>();
	let members = A.from({ members: {} } as unknown as Record<string, unknown>) as unknown as A.Doc<MembersDoc>;
	for (const who of [ann, bert, cor, vera]) {
		const ring = await startRing(who.member);
		rings.set(who.member, ring);
		members = act(membersRules, members, who, (h) => join(h as never, who.member, profile(who.member))).doc;
		const published = act(membersRules, members, who, (h) => publishKey(h as never, who.member, publicKeyText(currentKey(ring))));
		expect(published.broken).toEqual([]);
		members = published.doc;
	}
	members = act(membersRules, members, vera, (h) => addManaged(h as never, 'henk-0001', profile('Henk'), { by: vera.member, how: 'phone' })).doc;
	let board = A.from(newPeriodDoc('2026Q4') as unknown as Record<string, unknown>) as unknown as A.Doc<HelpDoc>;
	let postId = '';
	board = act(helpRules, board, ann, (h) => (postId = createPost(h, { ...blankPost('request'), category: 'tuin', title: 'Heg knippen' }, { memberId: ann.member }))).doc;
	return { rings, members, board, postId, people: () => readMembers(members, { includeLeft: true }).items };
}

describe('a conversation on a response', () => {
	it('is sealed to the poster and the helper, who read it; a third member and the relay cannot', async () => {
		const n = await neighbourhood();
		const responseId = 'resp-000001';
		const readers = conversationReaders({ author: ann.member }, { by: bert.member }, n.people());
		expect(readers.map((r) => r.member).sort()).toEqual([ann.member, bert.member]);
		const sealed = await seal('Ik kan zaterdag om 10 uur.', readers, responseContext(n.postId, responseId));
		const responded = act(helpRules, n.board, bert, (h) => respond(h, n.postId, { id: responseId, sealed }, { memberId: bert.member }));
		expect(responded.broken).toEqual([]);
		const messageId = 'mess-000001';
		const reply = await seal('Fijn, tot zaterdag!', readers, messageContext(n.postId, responseId, messageId));
		const replied = act(helpRules, responded.doc, ann, (h) => sendMessage(h, n.postId, responseId, { id: messageId, sealed: reply }, { memberId: ann.member }));
		expect(replied.broken).toEqual([]);

		const bytes = new TextDecoder('latin1').decode(A.save(replied.doc));
		expect(bytes).not.toContain('zaterdag');
		const post = readPosts([{ url: 'automerge:x', doc: replied.doc }]).items[0]!;
		const response = post.responses[0]!;
		expect(response.message).toBe('');
		expect(response.messages.map((m) => m.by)).toEqual([ann.member]);
		const ringOf = (who: Who) => [n.rings.get(who.member)!];
		expect(await open(response.sealed!, ringOf(ann), responseContext(post.id, response.id))).toBe('Ik kan zaterdag om 10 uur.');
		expect(await open(response.messages[0]!.sealed, ringOf(bert), messageContext(post.id, response.id, messageId))).toBe('Fijn, tot zaterdag!');
		expect(await open(response.messages[0]!.sealed, ringOf(cor), messageContext(post.id, response.id, messageId))).toBeUndefined();
	});

	it('takes a response and a message on it written offline, sent in one message', async () => {
		const n = await neighbourhood();
		const relay = new RefereeCopy(helpRules, A.clone(n.board));
		const readers = conversationReaders({ author: ann.member }, { by: bert.member }, n.people());
		const responseId = 'resp-000001';
		const sealed = await seal('Ik kan zaterdag.', readers, responseContext(n.postId, responseId));
		const more = await seal('Of zondag, als dat beter past.', readers, messageContext(n.postId, responseId, 'mess-000001'));
		const offline = act(helpRules, n.board, bert, (h) => {
			respond(h, n.postId, { id: responseId, sealed }, { memberId: bert.member });
			sendMessage(h, n.postId, responseId, { id: 'mess-000001', sealed: more }, { memberId: bert.member });
		});
		expect(offline.broken).toEqual([]);
		expect(relay.receive(offline.doc, bert).map((r) => r.rule)).toEqual([]);
		const response = readPosts([{ url: 'automerge:x', doc: relay.doc }]).items[0]!.responses[0]!;
		expect(response.messages.map((m) => m.by)).toEqual([bert.member]);
		expect(await open(response.messages[0]!.sealed, [n.rings.get(ann.member)!], messageContext(n.postId, responseId, 'mess-000001'))).toBe('Of zondag, als dat beter past.');
	});

	it('lets only the two sides write, once, in their own name, and only sealed text', async () => {
		const n = await neighbourhood();
		const responseId = 'resp-000001';
		const readers = conversationReaders({ author: ann.member }, { by: bert.member }, n.people());
		const sealed = await seal('Hallo', readers, responseContext(n.postId, responseId));
		const board = act(helpRules, n.board, bert, (h) => respond(h, n.postId, { id: responseId, sealed }, { memberId: bert.member })).doc;
		const message = (id: string) => ({ id, sealed });
		// Cor is not in the conversation.
		expect(act(helpRules, board, cor, (h) => sendMessage(h, n.postId, responseId, message('mess-00000c'), { memberId: cor.member })).broken).toEqual(['help.message-party']);
		// Bert cannot write in Ann's name.
		expect(act(helpRules, board, bert, (h) => sendMessage(h, n.postId, responseId, message('mess-00000b'), { memberId: ann.member })).broken).toEqual(['help.message-party']);
		const written = act(helpRules, board, bert, (h) => sendMessage(h, n.postId, responseId, message('mess-000001'), { memberId: bert.member }));
		expect(written.broken).toEqual([]);
		const post = (d: A.Doc<HelpDoc>) => d.posts[n.postId]!.responses[responseId]! as unknown as Record<string, unknown>;
		// Nobody edits or removes a message, and plain text is refused.
		expect(act(helpRules, written.doc, bert, (h) => h.change((d) => void delete (post(d) as Record<string, unknown>)['msg.mess-000001'])).broken).toEqual(['help.no-delete']);
		expect(act(helpRules, written.doc, bert, (h) => h.change((d) => void ((post(d) as Record<string, unknown>)['msg.mess-000001'] = 'x'))).broken).toEqual(['help.shape']);
		const plain = JSON.stringify({ id: 'mess-000002', by: bert.member, at: new Date().toISOString(), sealed: 'Hallo in gewone tekst' });
		expect(act(helpRules, written.doc, bert, (h) => h.change((d) => void ((post(d) as Record<string, unknown>)['msg.mess-000002'] = plain))).broken).toEqual(['help.shape']);
	});

	it("reaches a resident without a device through their intermediary's key", async () => {
		const n = await neighbourhood();
		const readers = conversationReaders({ author: 'henk-0001' }, { by: bert.member }, n.people());
		expect(readers.map((r) => r.member).sort()).toEqual([bert.member, vera.member]);
		expect(withoutKey({ author: 'henk-0001' }, { by: bert.member }, n.people())).toEqual([]);
		const sealed = await seal('Ik breng de boodschappen.', readers, 'c');
		expect(readersOf(sealed).sort()).toEqual([bert.member, vera.member]);
		expect(await open(sealed, [n.rings.get(vera.member)!], 'c')).toBe('Ik breng de boodschappen.');
	});

	it('publishes keys only for oneself, and never an older key over a newer one', async () => {
		const n = await neighbourhood();
		const ring = n.rings.get(ann.member)!;
		const newer = await rotate(ring);
		expect(act(membersRules, n.members, bert, (h) => publishKey(h as never, ann.member, publicKeyText(currentKey(newer)))).broken).toEqual(['members.key-owner']);
		expect(act(membersRules, n.members, vera, (h) => publishKey(h as never, 'henk-0001', publicKeyText(currentKey(newer)))).broken).toEqual(['members.key-owner']);
		const rotated = act(membersRules, n.members, ann, (h) => publishKey(h as never, ann.member, publicKeyText(currentKey(newer))));
		expect(rotated.broken).toEqual([]);
		expect(act(membersRules, rotated.doc, ann, (h) => publishKey(h as never, ann.member, publicKeyText(currentKey(ring)))).broken).toEqual(['members.key-older']);
		expect(readMembers(rotated.doc).items.find((m) => m.id === ann.member)?.publicKey).toEqual({ n: 2, pub: currentKey(newer).pub });
	});
});
