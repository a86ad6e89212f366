// The relay works out what news each stored change made, through the same domain code as the app:
// a response reaches the relay and exactly one item for the post's author comes out, also when the
// author is a resident an intermediary acts for; a change that makes no news gives nothing, and
// nothing is told twice, not even after the document was unloaded and loaded again from disk.
import * as A from '@automerge/automerge';
import type { DocHandle, Repo } from '@automerge/automerge-repo/slim';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../relay/guard.ts';
import { startRelay, type Relay } from '../../relay/main.ts';
import { membersFrom } from '../../relay/news-watch.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import { accept, blankPost, createPost, editPost, respond } from '../../src/lib/help/mutations.ts';
import { newPeriodDoc } from '../../src/lib/help/periods.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { addManaged, join, leave } from '../../src/lib/members/mutations.ts';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import type { NewsItem } from '../../src/lib/news/item.ts';
import { client, eventually, fakeApp, find, hostedOn, newMember, shutdown, tempDir } from './harness.ts';

const imm = (value: string) => new A.ImmutableString(value);
const shopping = { ...blankPost('request'), category: 'boodschappen', title: 'Boodschappen' };

describe('the relay hears the news a change makes', () => {
	const stop: Array<{ shutdown?: () => Promise<void>; close?: () => Promise<void> }> = [];
	afterEach(async () => {
		await shutdown(...stop.splice(0).reverse());
	});

	async function setup(idleUnloadMs = 60_000) {
		const heard: Array<{ neighbourhood: string; item: NewsItem }> = [];
		const relay: Relay = await startRelay({
			port: 0,
			host: '127.0.0.1',
			data: tempDir(),
			app: fakeApp(),
			logLevel: 'warn',
			limits: DEFAULT_LIMITS,
			pollMs: 100,
			keyWaitMs: 500,
			idleUnloadMs,
			logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
			onNews: (neighbourhood, item) => heard.push({ neighbourhood, item })
		});
		stop.push(relay);
		const hosted = await hostedOn(relay.repo, relay.registry, relay.access, 'De Linde', `http://127.0.0.1:${relay.port}`);
		const device = async (credential: string) => {
			const repo: Repo = client(relay, credential);
			stop.push(repo);
			const root = await find<RootDoc>(repo, hosted.root);
			await eventually(() => root.isReady(), Boolean);
			const members = await find<MembersDoc>(repo, String(root.doc()!.docs.members));
			await eventually(() => members.isReady(), Boolean);
			return { repo, root, members };
		};
		return { relay, hosted, heard, device };
	}

	it('tells a response once, for the author or the resident an intermediary acts for, and nothing else', async () => {
		const { relay, hosted, heard, device } = await setup();
		const anna = { memberId: hosted.memberId };
		const ingrid = newMember(relay.access, hosted.id, { name: 'Ingrid' });
		const bertAccess = newMember(relay.access, hosted.id, { name: 'Bert' });
		const henk = { memberId: 'henk-resident-01', actedBy: ingrid.memberId };

		const annasPhone = await device(hosted.key);
		join(annasPhone.members, anna.memberId, { ...blankProfile(), name: 'Anna' });
		join(annasPhone.members, ingrid.memberId, { ...blankProfile(), name: 'Ingrid' });
		addManaged(annasPhone.members, henk.memberId, { ...blankProfile(), name: 'Henk' }, { by: ingrid.memberId, how: 'in-person' });
		const board = annasPhone.repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		annasPhone.root.change((d) => {
			d.docs.help[board.url] = imm('2026Q4');
		});
		const annasPost = createPost(board, shopping, anna);
		const henksPost = createPost(board, shopping, henk);

		const bert = await device(bertAccess.credential);
		join(bert.members, bertAccess.memberId, { ...blankProfile(), name: 'Bert' });
		const bertsBoard = await find<HelpDoc>(bert.repo, board.url);
		await eventually(() => Object.keys(bertsBoard.doc()?.posts ?? {}).length, (n) => n === 2);
		const me = { memberId: bertAccess.memberId };

		const toAnna = respond(bertsBoard, annasPost, 'Ik kan vrijdag', me)!;
		await eventually(() => heard.length, (n) => n >= 1);
		// A change that makes no news, then one that does: the first is told (or not) before the second.
		editPost(board, annasPost, { ...shopping, title: 'Boodschappen op vrijdag' }, anna);
		const toHenk = respond(bertsBoard, henksPost, 'Ik bel Ingrid', me)!;
		await eventually(() => heard.length, (n) => n >= 2);

		expect(heard.map(({ neighbourhood, item }) => `${neighbourhood} ${item.kind} ${item.for} ${item.id}`)).toEqual([
			`${hosted.id} response ${anna.memberId} response:${annasPost}:${toAnna}`,
			`${hosted.id} response ${henk.memberId} response:${henksPost}:${toHenk}`
		]);
		expect(heard[1].item).toMatchObject({ actor: me.memberId, path: `/hulp/${henksPost}`, subject: { module: 'help', id: henksPost, category: 'boodschappen' } });
		expect(JSON.stringify(heard)).not.toContain('Ik bel');
	});

	it('tells nothing twice, nor news nobody is left to hear, also after the document left memory and came back from disk', async () => {
		const { relay, hosted, heard, device } = await setup(300);
		const anna = { memberId: hosted.memberId };
		const bert = { memberId: 'bert-neighbour-1' };
		const carla = { memberId: 'carla-neighbour' };
		const phone = await device(hosted.key);
		for (const [who, name] of [[anna, 'Anna'], [bert, 'Bert'], [carla, 'Carla']] as const) join(phone.members, who.memberId, { ...blankProfile(), name });
		const board: DocHandle<HelpDoc> = phone.repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		phone.root.change((d) => {
			d.docs.help[board.url] = imm('2026Q4');
		});
		// All in one go, as from a phone that was offline: a document new to the relay is news too.
		const post = createPost(board, shopping, anna);
		const first = respond(board, post, '', bert)!;
		await eventually(() => heard.length, (n) => n >= 1);
		await eventually(() => board.documentId in relay.repo.handles, (held) => !held);

		// Back from disk: what it held is not news again. Bert left, so his acceptance reaches nobody.
		leave(phone.members, bert.memberId);
		const members = membersFrom(relay.repo, relay.registry);
		await eventually(async () => (await members(hosted.id))?.map((m) => m.id), (ids) => ids !== undefined && !ids.includes(bert.memberId));
		accept(board, post, first, anna);
		const second = respond(board, post, '', carla)!;
		await eventually(() => heard.length, (n) => n >= 2);
		expect(heard.map(({ item }) => item.id)).toEqual([`response:${post}:${first}`, `response:${post}:${second}`]);
		expect(relay.idle.state().unloaded).toBeGreaterThan(0);
	}, 30_000);
});
