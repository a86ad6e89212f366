import * as A from '@automerge/automerge/slim';
import { describe, expect, it } from 'vitest';
import { rewriteHistory } from '../erase/rewrite.ts';
import type { HelpDoc } from './document.ts';
import { accept, blankPost, createPost, markDone, respond, sendMessage, thank } from './mutations.ts';
import { currentKey, startRing } from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealing.ts';
import { messageContext, responseContext } from './conversation.ts';
import { readPosts } from './view.ts';
import { newPeriodDoc } from './periods.ts';
import { archivedWithout, archiveScrubs, boardScrubs, ERASED_TITLE, tidyBoard } from './erase.ts';

const ANNA = 'anna-0000-0001';
const BERT = 'bert-0000-0001';

/** A board as a plain Automerge document, changed through the app's own mutations. */
function board() {
	const start = newPeriodDoc('2026Q4');
	let doc = A.change(A.init<HelpDoc>(), (d) => Object.assign(d, start));
	const handle = { change: (fn: (d: HelpDoc) => void) => void (doc = A.change(doc, fn)) };
	const open = createPost(handle, { ...blankPost('request'), category: 'klussen', title: 'Annas open vraag', description: 'Ik woon op nummer 12', where: 'Lindelaan' }, { memberId: ANNA });
	const done = createPost(handle, { ...blankPost('request'), category: 'klussen', title: 'Annas oude vraag' }, { memberId: ANNA });
	const berts = createPost(handle, { ...blankPost('offer'), category: 'klussen', title: 'Berts ladder' }, { memberId: BERT });
	const bertsAnswer = respond(handle, done, 'Bert helpt graag', { memberId: BERT })!;
	accept(handle, done, bertsAnswer, { memberId: ANNA });
	markDone(handle, done, { memberId: ANNA });
	thank(handle, done, 'Dank je Bert, groet Anna', { memberId: ANNA });
	respond(handle, berts, 'Annas antwoord met haar nummer 0687654321', { memberId: ANNA });
	return { doc: () => doc, open, done, berts };
}

describe('what erasing a member takes out of the help board', () => {
	it('the text of her posts that were not done, her responses and her thanks; the rest stays', () => {
		const b = board();
		const result = rewriteHistory(b.doc(), boardScrubs(b.doc(), ANNA));
		const doc = A.change(result.doc, (d) => tidyBoard(d, ANNA, '2026-12-01T00:00:00.000Z'));
		expect(String(doc.posts[b.open]!.title)).toBe(ERASED_TITLE);
		expect(doc.posts[b.open]!.description).toBe('');
		expect(String(doc.posts[b.open]!.where)).toBe('');
		expect(String(doc.posts[b.open]!.status)).toBe('withdrawn');
		// A done post is the helper's record too: its title stays, her thanks go.
		expect(String(doc.posts[b.done]!.title)).toBe('Annas oude vraag');
		expect(String(doc.posts[b.done]!.thanks!.message)).toBe('');
		expect(Object.values(doc.posts[b.done]!.responses).map((r) => String(r.message))).toEqual(['Bert helpt graag']);
		expect(Object.values(doc.posts[b.berts]!.responses).map((r) => String(r.message))).toEqual(['']);
		expect(String(doc.posts[b.berts]!.title)).toBe('Berts ladder');
		const saved = Buffer.from(A.save(doc));
		for (const word of ['nummer 12', 'Lindelaan', 'Annas open', 'groet Anna', '0687654321']) expect(saved.includes(word), word).toBe(false);
	});

	it('her sealed response and her messages in a conversation go; the neighbour\'s messages stay', async () => {
		const [anna, bert] = await Promise.all([startRing(ANNA), startRing(BERT)]);
		const readers = [anna, bert].map((ring) => ({ member: ring.member, ...currentKey(ring) }));
		const b = board();
		let doc = b.doc();
		const handle = { change: (fn: (d: HelpDoc) => void) => void (doc = A.change(doc, fn)) };
		const responseId = 'resp-anna-0001';
		respond(handle, b.berts, { id: responseId, sealed: await seal('Mijn adres is Lindelaan 12', readers, responseContext(b.berts, responseId)) }, { memberId: ANNA });
		const say = async (id: string, by: string, text: string) =>
			sendMessage(handle, b.berts, responseId, { id, sealed: await seal(text, readers, messageContext(b.berts, responseId, id)) }, { memberId: by });
		await say('mess-anna-01', ANNA, 'Ik ben thuis na vier uur');
		await say('mess-bert-01', BERT, 'Ik kom om vijf uur');
		const sealedOf = (d: HelpDoc, key: string) => String((d.posts[b.berts]!.responses[responseId] as unknown as Record<string, unknown>)[key] ?? '');
		const annasSealed = [sealedOf(doc, 'sealed'), sealedOf(doc, 'msg.mess-anna-01')];
		const result = rewriteHistory(doc, boardScrubs(doc, ANNA));
		const saved = Buffer.from(A.save(result.doc)).toString('latin1');
		for (const sealed of annasSealed) expect(saved.includes(JSON.parse(sealed.startsWith('{"id"') ? (JSON.parse(sealed) as { sealed: string }).sealed : sealed).c as string)).toBe(false);
		const post = readPosts([{ url: 'automerge:q', doc: result.doc }]).items.find((p) => p.id === b.berts)!;
		const response = post.responses.find((r) => r.id === responseId)!;
		expect(response.sealed).toBeUndefined();
		expect(response.messages.map((m) => m.by)).toEqual([BERT]);
		expect(await open(response.messages[0]!.sealed, [anna], messageContext(b.berts, responseId, 'mess-bert-01'))).toBe('Ik kom om vijf uur');
	});

	it('in a year’s archive, rewrites each archived post’s JSON without her words', () => {
		const post = { id: 'p1', author: BERT, title: 'Ladder', status: 'done', responses: [{ by: ANNA, message: 'Bel 0687654321' }, { by: 'carla-0000-01', message: 'Ik ook' }], thanks: { by: BERT, message: 'Dank' } };
		expect(JSON.parse(archivedWithout(JSON.stringify(post), ANNA))).toEqual({ ...post, responses: [{ by: ANNA, message: '' }, { by: 'carla-0000-01', message: 'Ik ook' }] });
		const archive = A.from({ year: '2025', posts: {} as Record<string, A.ImmutableString> });
		const filled = A.change(archive, (d) => {
			d.posts.p1 = new A.ImmutableString(JSON.stringify(post));
			d.posts.p2 = new A.ImmutableString(JSON.stringify({ ...post, id: 'p2', responses: [] }));
		});
		const scrubs = archiveScrubs(filled, ANNA);
		expect(scrubs.map((s) => s.path)).toEqual([['posts', 'p1']]);
		expect(Buffer.from(A.save(rewriteHistory(filled, scrubs).doc)).includes('0687654321')).toBe(false);
	});
});
