import { Repo, type DocHandle } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import type { HelpDoc } from './document.ts';
import { accept, blankPost, createPost, hide, markDone, respond, thank, withdrawPost, withdrawResponse, type PostInput } from './mutations.ts';
import { helpNews } from './news.ts';
import { readPosts } from './view.ts';

const henk = { memberId: 'henk-000001' };
const ingrid = { memberId: 'ingrid-0001' };
const forHenk = { memberId: henk.memberId, actedBy: ingrid.memberId };
const bert = { memberId: 'bert-000001' };
const carla = { memberId: 'carla-00001' };

const shopping: PostInput = {
	...blankPost('request'),
	category: 'boodschappen',
	title: 'Boodschappen, Lindenlaan 4',
	description: 'Bel 06-12345678',
	where: 'Lindenlaan 4'
};

const at = (minute: number) => new Date(Date.UTC(2026, 10, 3, 10, minute));

function board(): DocHandle<HelpDoc> {
	return new Repo().create<HelpDoc>({ period: imm('2026Q4'), posts: {} });
}

const news = (handle: DocHandle<HelpDoc>) => helpNews(readPosts([{ url: handle.url, doc: handle.doc() }]).items);
const brief = (handle: DocHandle<HelpDoc>) => news(handle).map((n) => `${n.kind} for ${n.for} by ${n.actor}${n.actedBy ? ` via ${n.actedBy}` : ''}`);

describe('help news', () => {
	it('tells the author of a response, by the post\'s category and never its title or text', () => {
		const handle = board();
		const post = createPost(handle, shopping, henk, at(0));
		const response = respond(handle, post, 'Ik kom om 3 uur, mijn nummer is 06-87654321', bert, at(5))!;
		expect(news(handle)).toEqual([
			{
				id: `response:${post}:${response}`,
				kind: 'response',
				for: henk.memberId,
				at: at(5).toISOString(),
				actor: bert.memberId,
				subject: { module: 'help', id: post, category: 'boodschappen', postKind: 'request' },
				path: `/hulp/${post}`,
				group: `help:${post}`
			}
		]);
		expect(JSON.stringify(news(handle))).not.toMatch(/Lindenlaan|0612|06-|nummer/);
	});

	it('forgets a withdrawn response', () => {
		const handle = board();
		const post = createPost(handle, shopping, henk, at(0));
		const response = respond(handle, post, '', bert, at(5))!;
		withdrawResponse(handle, post, response, bert, at(6));
		expect(news(handle)).toEqual([]);
	});

	it('tells a responder they were accepted, naming whoever pressed the button for the author', () => {
		const handle = board();
		const post = createPost(handle, shopping, forHenk, at(0));
		const response = respond(handle, post, '', bert, at(5))!;
		accept(handle, post, response, forHenk, at(7));
		expect(brief(handle)).toEqual([`response for ${henk.memberId} by ${bert.memberId}`, `accepted for ${bert.memberId} by ${henk.memberId} via ${ingrid.memberId}`]);
		expect(news(handle).find((n) => n.kind === 'accepted')?.id).toBe(`accepted:${post}:${response}`);
	});

	it('tells the helpers (and not the author who did it) that a post is done, and thanks', () => {
		const handle = board();
		const post = createPost(handle, shopping, henk, at(0));
		const b = respond(handle, post, '', bert, at(1))!;
		respond(handle, post, '', carla, at(2));
		accept(handle, post, b, henk, at(3));
		markDone(handle, post, henk, at(4));
		thank(handle, post, 'Dank je, Bert!', henk, at(5));
		const kinds = news(handle).filter((n) => n.at >= at(4).toISOString());
		expect(kinds.map((n) => `${n.kind} ${n.for}`)).toEqual([`done ${bert.memberId}`, `thanked ${bert.memberId}`]);
		expect(new Set(news(handle).map((n) => n.id)).size).toBe(news(handle).length);
	});

	it('tells the author when a helper marks the post done', () => {
		const handle = board();
		const post = createPost(handle, shopping, henk, at(0));
		const b = respond(handle, post, '', bert, at(1))!;
		accept(handle, post, b, henk, at(3));
		markDone(handle, post, bert, at(4));
		expect(news(handle).filter((n) => n.kind === 'done').map((n) => n.for)).toEqual([henk.memberId]);
	});

	it('makes nothing of hidden or withdrawn posts', () => {
		const hidden = board();
		const a = createPost(hidden, shopping, henk, at(0));
		respond(hidden, a, '', bert, at(1));
		hide(hidden, a, 'Adres in de titel', carla, at(2));
		expect(news(hidden)).toEqual([]);
		const withdrawn = board();
		const b = createPost(withdrawn, shopping, henk, at(0));
		respond(withdrawn, b, '', bert, at(1));
		withdrawPost(withdrawn, b, henk, at(2));
		expect(news(withdrawn)).toEqual([]);
	});
});
