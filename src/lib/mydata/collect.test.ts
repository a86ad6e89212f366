import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../agenda/view.ts';
import type { Membership } from '../device/memberships.ts';
import { readPosts } from '../help/view.ts';
import { readMap } from '../map/view.ts';
import { readMembers } from '../members/view.ts';
import { RootView } from '../neighbourhood/schema.ts';
import type { callAccess } from '../access/client.ts';
import { collectMyData, myDataJson, type MyData } from './collect.ts';
import { myDevices } from './devices.ts';
import { openMine } from './open-mine.ts';
import { currentKey, startRing } from '../crypto/keys.ts';
import { seal } from '../crypto/sealing.ts';
import { contactContext } from '../members/contact.ts';
import { messageContext, responseContext } from '../help/conversation.ts';

// Four people: Anna downloads; she acts for Wim, who has no device. Bert and Carla are neighbours
// whose names, numbers and words must not end up in Anna's download.
const ANNA = 'anna-0000-0001';
const BERT = 'bert-0000-0002';
const CARLA = 'carla-000-0003';
const WIM = 'wim-00000-0004';
const AT = '2026-11-02T10:00:00.000Z';

const profile = (id: string, name: string, extra: Record<string, unknown>) => ({
	id,
	name,
	area: '',
	phone: '',
	phoneVisibility: 'members',
	helpWith: [],
	helpNote: '',
	joinedAt: AT,
	updatedAt: AT,
	...extra
});

const membersDoc = {
	members: {
		[ANNA]: profile(ANNA, 'Anna Jansen', { area: 'Lindenlaan', phone: '06 1111 2222', phoneVisibility: 'managers', helpWith: ['Boodschappen'], helpNote: 'Ik heb een auto' }),
		[BERT]: profile(BERT, 'Bert Bakker', { area: 'Eikenstraat', phone: '06 9999 8888', helpWith: ['Klussen'], helpNote: 'Ik heb een ladder' }),
		[CARLA]: profile(CARLA, 'Carla de Vries', { phone: '06 5555 4444', leftAt: '2026-11-20T10:00:00.000Z' }),
		[WIM]: profile(WIM, 'Wim Wouters', { phone: '050 123 4567', managedBy: ANNA, consent: { by: ANNA, at: AT, how: 'in-person' } })
	}
};

const history = (by: string, action: string, note?: string) => JSON.stringify({ at: AT, by, action, ...(note ? { note } : {}) });

const post = (id: string, author: string, title: string, description: string, extra: Record<string, unknown> = {}) => ({
	id,
	kind: 'request',
	category: 'Boodschappen',
	title,
	description,
	when: { kind: 'flexible' },
	where: '',
	contact: 'noaber',
	author,
	createdAt: AT,
	updatedAt: AT,
	renewedAt: AT,
	status: 'open',
	responses: {},
	history: {},
	...extra
});

const response = (id: string, by: string, message: string, extra: Record<string, unknown> = {}) => ({ id, by, message, at: AT, ...extra });

const quarter = {
	period: '2026-Q4',
	posts: {
		'post-anna-01': post('post-anna-01', ANNA, 'Hulp met de vuilnisbak', 'Mijn container moet dinsdag aan de straat', {
			status: 'done',
			agreedAt: AT,
			doneAt: AT,
			responses: { 'resp-bert-01': response('resp-bert-01', BERT, 'Ik kom dinsdag langs, groet van de buurman', { acceptedAt: AT }) },
			thanks: { by: ANNA, at: AT, message: 'Dank je wel voor het sjouwen' },
			history: { h1: history(ANNA, 'created'), h2: history(BERT, 'responded', 'Bericht van de buurman') }
		}),
		'post-bert-01': post('post-bert-01', BERT, 'Boodschappen voor mijn zieke vrouw', 'Ik kan niet weg van huis', {
			status: 'done',
			responses: {
				'resp-anna-01': response('resp-anna-01', ANNA, 'Ik kan zaterdag voor u gaan', { acceptedAt: AT }),
				'resp-carl-01': response('resp-carl-01', CARLA, 'Carla kan zondag ook')
			},
			thanks: { by: BERT, at: AT, message: 'Heel lief van je, dank' }
		}),
		'post-wim-001': post('post-wim-001', WIM, 'Vervoer naar het ziekenhuis', 'Wim moet op controle', { actedBy: ANNA }),
		'post-hidden1': post('post-hidden1', ANNA, 'Tweede verzoek van Anna', '', { hidden: { by: CARLA, at: AT, reason: 'Carla vond het dubbel' } })
	}
};

const archive = {
	year: '2025',
	posts: {
		'post-anna-00': JSON.stringify({ ...post('post-anna-00', ANNA, 'Lamp ophangen in de gang', 'Oud verzoek uit het archief', { status: 'done', doneAt: AT }), period: '2025-Q1', archivedFrom: 'automerge:sealed' })
	}
};

const event = (id: string, author: string, title: string, extra: Record<string, unknown> = {}) => ({
	id,
	title,
	description: '',
	start: '2026-12-01T10:00',
	end: '2026-12-01T12:00',
	location: { name: 'Buurthuis' },
	organiser: '',
	contact: '',
	category: 'ontmoeting',
	capacity: 0,
	author,
	createdAt: AT,
	signups: {},
	...extra
});

const signup = (id: string, member: string, extra: Record<string, unknown> = {}) => ({ id, member, occurrence: '', at: AT, ...extra });

const agenda = {
	period: '2026',
	events: {
		'event-koffie1': event('event-koffie1', CARLA, 'Koffieochtend', {
			organiser: 'Carla de Vries',
			contact: '06 5555 4444',
			description: 'Carla zet de koffie',
			signups: {
				'sign-anna-01': signup('sign-anna-01', ANNA),
				'sign-bert-01': signup('sign-bert-01', BERT),
				'sign-wim-001': signup('sign-wim-001', WIM, { actedBy: ANNA })
			}
		}),
		'event-wandel1': event('event-wandel1', ANNA, 'Wandelclub', { description: 'Anna loopt voorop' })
	}
};

const stamp = (by: string) => ({ by, at: AT });
const mapDoc = {
	organizations: {
		'org-anna-001': { id: 'org-anna-001', name: 'Buurthuis De Linde', created: stamp(ANNA), updated: stamp(ANNA), removed: null },
		'org-carla-01': { id: 'org-carla-01', name: 'Thuiszorg van Carla', created: stamp(CARLA), updated: stamp(CARLA), removed: null }
	}
};

const neighbourhood = v.parse(RootView, { id: 'buurt-000001', name: 'De Linden', docs: { members: 'automerge:2j9knpCseyhnK8izDmLpGP5WMdZQ' } });

const membership: Membership = {
	root: 'automerge:4NMNnkMhL8jXrBvXDpELfZiBbM7z',
	relay: 'wss://relay.example.nl',
	credential: undefined,
	key: 'the-old-shared-key',
	memberId: ANNA,
	name: 'De Linden',
	status: 'active',
	roles: ['intermediary'],
	phone: '050 000 0000'
};

function collect(extra: Partial<Parameters<typeof collectMyData>[0]> = {}): MyData {
	return collectMyData({
		membership,
		neighbourhood,
		everyone: readMembers(membersDoc, { includeLeft: true }).items,
		posts: readPosts([
			{ url: 'automerge:quarter', doc: quarter },
			{ url: 'automerge:archive', doc: archive }
		]).items,
		events: readEvents([{ url: 'automerge:agenda', doc: agenda }]).items,
		map: readMap([mapDoc]),
		roles: ['intermediary'],
		now: new Date('2026-12-01T09:00:00Z'),
		...extra
	});
}

describe('my data', () => {
	it('holds my profile, posts, responses, thanks, sign-ups, events and map entries', () => {
		const { person } = collect();
		expect(person.profile).toEqual({
			name: 'Anna Jansen',
			area: 'Lindenlaan',
			phone: '06 1111 2222',
			phoneVisibility: 'managers',
			helpWith: ['Boodschappen'],
			helpNote: 'Ik heb een auto',
			joinedAt: AT,
			updatedAt: AT
		});
		expect(person.roles).toEqual(['intermediary']);
		expect(person.posts.map((p) => p.title).sort()).toEqual(['Hulp met de vuilnisbak', 'Lamp ophangen in de gang', 'Tweede verzoek van Anna']);
		const bin = person.posts.find((p) => p.id === 'post-anna-01')!;
		expect(bin).toMatchObject({ description: 'Mijn container moet dinsdag aan de straat', status: 'done', thanks: { at: AT, message: 'Dank je wel voor het sjouwen' } });
		expect(bin.history).toEqual([{ at: AT, action: 'created' }]);
		expect(person.posts.find((p) => p.id === 'post-hidden1')?.hiddenAt).toBe(AT);
		expect(person.responses).toEqual([
			{ postId: 'post-bert-01', postKind: 'request', postCategory: 'Boodschappen', message: 'Ik kan zaterdag voor u gaan', at: AT, acceptedAt: AT, madeForYou: false }
		]);
		expect(person.thanked).toEqual([{ postId: 'post-bert-01', at: AT }]);
		expect(person.signups).toEqual([
			{ eventId: 'event-koffie1', eventTitle: 'Koffieochtend', eventStart: '2026-12-01T10:00', occurrence: '', at: AT, away: [], madeForYou: false }
		]);
		expect(person.events.map((e) => [e.title, e.description])).toEqual([['Wandelclub', 'Anna loopt voorop']]);
		expect(person.map).toEqual([{ kind: 'organization', id: 'org-anna-001', name: 'Buurthuis De Linde', role: 'created', at: AT }]);
		expect(person.messages).toEqual([]);
	});

	it('keeps what this device knows of the membership, never its key or credential', () => {
		const data = collect();
		expect(data.device).toEqual({ memberId: ANNA, status: 'active', roles: ['intermediary'], helpdeskPhone: '050 000 0000', waitingProfile: false });
		expect(data.neighbourhood).toEqual({ name: 'De Linden', address: membership.root, relay: 'wss://relay.example.nl' });
		expect(myDataJson(data)).not.toContain('the-old-shared-key');
	});

	it('gives each resident I act for a section of their own, with their consent', () => {
		const data = collect();
		expect(data.actsFor).toHaveLength(1);
		const wim = data.actsFor[0];
		expect(wim.profile?.name).toBe('Wim Wouters');
		expect(wim.consent).toEqual({ at: AT, how: 'in-person', recordedByYou: true });
		expect(wim.posts.map((p) => [p.title, p.madeForYou])).toEqual([['Vervoer naar het ziekenhuis', true]]);
		expect(wim.signups.map((s) => [s.eventTitle, s.madeForYou])).toEqual([['Koffieochtend', true]]);
		// Wim's things are in his section, not in mine.
		expect(data.person.posts.map((p) => p.id)).not.toContain('post-wim-001');
		expect(data.person.consent).toBeUndefined();
	});

	it("holds nothing of anyone else's: no neighbour's name, number, words or id", () => {
		const json = myDataJson(collect());
		for (const theirs of [
			'Bert Bakker',
			'Bert',
			'06 9999 8888',
			'Eikenstraat',
			'Ik heb een ladder',
			'Klussen',
			'Boodschappen voor mijn zieke vrouw',
			'Ik kan niet weg van huis',
			'Ik kom dinsdag langs',
			'Bericht van de buurman',
			'Heel lief van je',
			'Carla',
			'06 5555 4444',
			'Carla kan zondag ook',
			'Carla vond het dubbel',
			'Thuiszorg van Carla',
			BERT,
			CARLA
		]) {
			expect(json, theirs).not.toContain(theirs);
		}
	});

	it('leaves out residents someone else acts for', () => {
		const data = collectMyData({
			membership: { ...membership, memberId: BERT },
			neighbourhood,
			everyone: readMembers(membersDoc, { includeLeft: true }).items,
			posts: readPosts([{ url: 'automerge:quarter', doc: quarter }]).items,
			events: [],
			map: readMap([]),
			roles: []
		});
		expect(data.actsFor).toEqual([]);
		expect(myDataJson(data)).not.toContain('Wim');
		expect(myDataJson(data)).not.toContain('Anna');
	});

	it('opens my sealed response and my messages in a conversation, and not what the neighbour wrote back', async () => {
		const [annaRing, bertRing] = await Promise.all([startRing(ANNA), startRing(BERT)]);
		const readers = [annaRing, bertRing].map((ring) => ({ member: ring.member, ...currentKey(ring) }));
		const postId = 'post-bert-02';
		const responseId = 'resp-anna-02';
		const message = async (id: string, by: string, text: string) =>
			JSON.stringify({ id, by, at: AT, sealed: await seal(text, readers, messageContext(postId, responseId, id)) });
		const sealedQuarter = {
			period: '2026-Q4',
			posts: {
				[postId]: post(postId, BERT, 'Hulp bij de computer', '', {
					responses: {
						[responseId]: {
							...response(responseId, ANNA, ''),
							sealed: await seal('Ik kan woensdag helpen', readers, responseContext(postId, responseId)),
							'msg.message-anna-1': await message('message-anna-1', ANNA, 'Zal ik om twee uur komen?'),
							'msg.message-bert-1': await message('message-bert-1', BERT, 'Graag, de sleutel ligt onder de mat')
						}
					}
				})
			}
		};
		const posts = readPosts([{ url: 'automerge:sealed-quarter', doc: sealedQuarter }]).items;
		const data = collect({ posts, membership: { ...membership, ring: annaRing }, opened: await openMine(posts, [ANNA, WIM], annaRing) });

		expect(data.person.responses.map((r) => r.message)).toEqual(['Ik kan woensdag helpen']);
		expect(data.person.messages).toEqual([{ postId, at: AT, text: 'Zal ik om twee uur komen?', madeForYou: false }]);
		const json = myDataJson(data);
		expect(json).not.toContain('sleutel ligt onder de mat');
		// The ring's private keys stay on the device.
		for (const key of annaRing.keys) expect(json).not.toContain(key.priv);
		expect(json).not.toContain('"sealed"');
	});

	it('opens my phone number and street where they are sealed, and not a neighbour\'s', async () => {
		const [annaRing, bertRing] = await Promise.all([startRing(ANNA), startRing(BERT)]);
		const phoneSealed = await seal('06 1111 2222', [{ member: ANNA, ...currentKey(annaRing) }], contactContext(ANNA, 'phone'));
		const areaSealed = await seal('Lindenlaan', [{ member: ANNA, ...currentKey(annaRing) }], contactContext(ANNA, 'area'));
		const bertPhone = await seal('06 9999 8888', [{ member: BERT, ...currentKey(bertRing) }, { member: ANNA, ...currentKey(annaRing) }], contactContext(BERT, 'phone'));
		const doc = {
			members: {
				...membersDoc.members,
				[ANNA]: { ...membersDoc.members[ANNA], phone: '', area: '', areaVisibility: 'nobody', phoneSealed, areaSealed },
				[BERT]: { ...membersDoc.members[BERT], phone: '', phoneVisibility: 'accepted', phoneSealed: bertPhone }
			}
		};
		const everyone = readMembers(doc, { includeLeft: true }).items;
		const data = collect({ everyone, opened: await openMine([], [ANNA], annaRing, everyone) });
		expect(data.person.profile).toMatchObject({ phone: '06 1111 2222', area: 'Lindenlaan' });
		expect(myDataJson(data)).not.toContain('06 9999 8888');
	});

	it('says a sealed message could not be opened on this device, rather than leaving it out', async () => {
		const [annaRing, otherRing] = await Promise.all([startRing(ANNA), startRing(ANNA)]);
		const sealed = await seal('Voor een ander apparaat', [{ member: ANNA, ...currentKey(otherRing) }], responseContext('post-bert-01', 'resp-anna-09'));
		const withSealed = { ...quarter, posts: { ...quarter.posts, 'post-bert-01': { ...quarter.posts['post-bert-01'], responses: { 'resp-anna-09': { ...response('resp-anna-09', ANNA, ''), sealed } } } } };
		const posts = readPosts([{ url: 'automerge:q', doc: withSealed }]).items;
		const data = collect({ posts, opened: await openMine(posts, [ANNA], annaRing) });
		expect(data.person.responses).toEqual([expect.objectContaining({ postId: 'post-bert-01', message: '', messageUnreadable: true })]);
	});
});

describe('my devices', () => {
	const device = (id: string, label: string) => ({ id, label, createdAt: AT });
	const fake = (answers: Record<string, unknown>): typeof callAccess =>
		(async (_relay: string, action: string) =>
			action in answers ? { ok: true, value: answers[action] } : { ok: false, reason: 'forbidden' }) as unknown as typeof callAccess;
	const me = (roles: string[]) => ({ memberId: ANNA, deviceId: 'device-anna-2', status: 'active', roles, actsFor: [], name: 'Anna Jansen' });

	it('lists only my own devices from the members list, marking this one', async () => {
		const members = {
			members: [
				{ id: ANNA, devices: [device('device-anna-1', 'Telefoon'), device('device-anna-2', 'Tablet')] },
				{ id: BERT, devices: [device('device-bert-1', 'Telefoon van Bert')] }
			]
		};
		const list = await myDevices({ relay: 'wss://r', credential: 'x' }, fake({ me: me(['intermediary']), members }));
		expect(list).toEqual([
			{ id: 'device-anna-1', label: 'Telefoon', createdAt: AT, thisDevice: false },
			{ id: 'device-anna-2', label: 'Tablet', createdAt: AT, thisDevice: true }
		]);
	});

	it('names only this device for someone who may not read the members list', async () => {
		expect(await myDevices({ relay: 'wss://r', credential: 'x' }, fake({ me: me([]) }))).toEqual([{ id: 'device-anna-2', label: '', thisDevice: true }]);
	});

	it('says nothing when the relay cannot be asked', async () => {
		expect(await myDevices({ relay: 'wss://r', credential: 'x' }, fake({}))).toBeUndefined();
		expect(await myDevices({ relay: 'wss://r', credential: undefined }, fake({ me: me([]) }))).toBeUndefined();
	});
});
