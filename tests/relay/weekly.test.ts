// The weekly push for those who chose it (off by default): on Monday 08.00, how many new requests
// there are in what the member likes to help with. Real documents, a real courier and a stand-in
// push service that decrypts; the clock is a fake one, so a week passes in a moment.
import { afterEach, describe, expect, it } from 'vitest';
import { Repo } from '@automerge/automerge-repo';
import { Writable } from 'node:stream';
import { createLogger } from '../../relay/log.ts';
import { Courier } from '../../relay/push/courier.ts';
import { Subscriptions } from '../../relay/push/subscriptions.ts';
import { loadVapid } from '../../relay/push/vapid.ts';
import { WeeklyRequests } from '../../relay/push/weekly.ts';
import { newPeriodDoc } from '../../src/lib/help/periods.ts';
import { blankPost, createPost } from '../../src/lib/help/mutations.ts';
import type { HelpDoc } from '../../src/lib/help/document.ts';
import { readPosts } from '../../src/lib/help/view.ts';
import { readMembers } from '../../src/lib/members/view.ts';
import type { MembersDoc } from '../../src/lib/members/document.ts';
import { join } from '../../src/lib/members/mutations.ts';
import { blankProfile } from '../../src/lib/members/blank.ts';
import { NEWS_KINDS } from '../../src/lib/news/item.ts';
import { eventually, tempDir } from './harness.ts';
import { startPushService, type StandIn } from './push-service.ts';
import { fakeClock } from './push-world.ts';

const N = 'lindenbuurt';
/** Amsterdam is UTC+1 in winter; 30 November 2026 is a Monday. */
const amsterdam = (day: number, hour: number) => Date.UTC(2026, 10, day, hour - 1);
const stops: Array<() => void | Promise<void>> = [];
afterEach(async () => {
	for (const stop of stops.splice(0)) await stop();
});

describe('the weekly new requests', () => {
	it('tells on Monday 08.00 how many new requests match what each member likes to help with, once, only to those who chose it', async () => {
		const data = tempDir();
		const service: StandIn = await startPushService();
		stops.push(() => service.close());
		const clock = fakeClock(amsterdam(30, 7));
		const subscriptions = new Subscriptions(data);
		const log = createLogger('warn', new Writable({ write: (_chunk, _encoding, done) => done() }));
		const courier = new Courier({ vapid: loadVapid(data, 'mailto:beheer@lindenbuurt.nl'), subscriptions, log });
		stops.push(() => courier.stop());

		const repo = new Repo({});
		const board = repo.create<HelpDoc>(newPeriodDoc('2026Q4'));
		const people = repo.create<MembersDoc>({ members: {} });
		const person = (id: string, name: string, helpWith: string[], weekly: boolean | undefined) => {
			join(people, id, { ...blankProfile(), name, helpWith });
			if (weekly === undefined) return;
			const { id: _id, ...subscription } = service.subscribe(id);
			subscriptions.set({ neighbourhood: N, member: id, device: `device-${id}`, subscription, choice: { kinds: [...NEWS_KINDS], weekly, language: 'nl' } });
		};
		person('anna00000001', 'Anna', ['boodschappen'], true);
		person('bert00000001', 'Bert', ['boodschappen'], false);
		person('carl00000001', 'Carla', ['tuin'], true);
		person('dirk00000001', 'Dirk', [], undefined);
		const ask = (author: string, category: string, day: number, kind: 'request' | 'offer' = 'request') =>
			createPost(board, { ...blankPost(kind), category, title: 'Hulp gezocht' }, { memberId: author }, new Date(amsterdam(day, 12)));
		ask('dirk00000001', 'boodschappen', 27);
		ask('dirk00000001', 'boodschappen', 28);
		ask('dirk00000001', 'boodschappen', 28, 'offer');
		ask('anna00000001', 'boodschappen', 28);
		// Before last Monday 08.00: told last week already.
		ask('dirk00000001', 'boodschappen', 20);

		const weekly = new WeeklyRequests({
			data,
			subscriptions,
			courier,
			clock,
			boardOf: async () => ({ posts: readPosts([{ url: board.url, doc: board.doc() }]).items, members: readMembers(people.doc()).items }),
			nameOf: () => 'Lindenbuurt'
		});
		// A relay's first round starts the counting: nobody hears about the weeks before it ran.
		expect(await weekly.due()).toBe(0);
		clock.advance(59 * 60_000);
		expect(await weekly.due()).toBe(0);
		clock.advance(60_000);
		// Monday 08.00: Anna hears of Dirk's two requests of this week (not his offer, not her own,
		// not the one before last Monday); Carla has none in "tuin"; Bert chose none.
		expect(await weekly.due()).toBe(1);
		const [push] = await eventually(() => service.received, (r) => r.length === 1);
		expect(push!.id).toBe('anna00000001');
		expect(push!.payload).toEqual({ title: 'Lindenbuurt', body: '2 nieuwe hulpvragen waar u bij kunt helpen', path: '/hulp', tag: 'weekly-requests', count: 2 });
		expect(push!.text).not.toContain('Dirk');
		// Once: the same Monday asked again sends nothing, also after a restart (the round is kept).
		expect(await weekly.due()).toBe(0);
		const restarted = new WeeklyRequests({ data, subscriptions, courier, clock, boardOf: async () => undefined, nameOf: () => 'Lindenbuurt' });
		expect(await restarted.due()).toBe(0);
		// The next Monday counts from this one: nothing new, nothing sent.
		clock.advance(7 * 24 * 3600_000);
		expect(await weekly.due()).toBe(0);
		expect(service.received).toHaveLength(1);
	});
});
