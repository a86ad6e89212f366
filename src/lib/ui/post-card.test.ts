import { describe, expect, it } from 'vitest';
import { imm } from '$lib/automerge/immutable.ts';
import { LocalDoc } from '$lib/automerge/local-doc.ts';
import type { HelpDoc } from '$lib/help/document.ts';
import { blankPost, createPost, respond } from '$lib/help/mutations.ts';
import { readPosts } from '$lib/help/view.ts';
import { locale } from '$lib/i18n/language.svelte.ts';
import { postCard } from './post-card.ts';

const names = new Map([
	['henk-000001', 'Henk Jansen'],
	['ingrid-0001', 'Ingrid de Boer'],
	['bert-000001', 'Bert Smit']
]);
const name = (id: string) => names.get(id) ?? 'een buur';

describe('a post on the board in words', () => {
	it('is made once per post while its names, its question and the language stay, and anew when one changes', () => {
		locale.language = 'nl';
		const board = new LocalDoc<HelpDoc>({ period: imm('2026Q4'), posts: {} });
		const id = createPost(board, { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen doen' }, { memberId: 'henk-000001', actedBy: 'ingrid-0001' });
		const read = () => readPosts([{ url: 'automerge:board', doc: board.doc }]).items[0]!;
		const post = read();
		const card = postCard(post, name, false);
		expect(card).toMatchObject({ id, kindLabel: 'Vraag', title: 'Boodschappen doen', by: 'Voor Henk Jansen, geplaatst door Ingrid de Boer · Nog geen reacties' });
		// The board reads its posts again as older quarters arrive: the same post, the same card.
		expect(postCard(post, name, false)).toBe(card);
		// Whom a card names, whether it asks "still needed?", and the language make a card anew.
		expect(postCard(post, (id) => (id === 'henk-000001' ? 'Henk' : name(id)), false).by).toBe('Voor Henk, geplaatst door Ingrid de Boer · Nog geen reacties');
		expect(postCard(post, name, true).stale).toBe('Is dit nog nodig?');
		locale.language = 'en';
		expect(postCard(post, name, true)).toMatchObject({ kindLabel: 'Request', stale: 'Still needed?' });
		locale.language = 'nl';
		// A response changes the document: the post is read anew, and so is its card.
		respond(board, id, 'Ik kan donderdag', { memberId: 'bert-000001' });
		expect(postCard(read(), name, true).by).toBe('Voor Henk Jansen, geplaatst door Ingrid de Boer · 1 buur reageerde');
	});
});
