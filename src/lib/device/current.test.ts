// What a page shows for the current neighbourhood: never an endless "wordt geladen" once the relay
// has answered, whatever a peer did to the root.
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { readPosts } from '../help/view.ts';
import { blankPost, createPost } from '../help/mutations.ts';
import { newPeriodDoc } from '../help/periods.ts';
import type { HelpDoc } from '../help/document.ts';
import { readEvents } from '../agenda/view.ts';
import { readMap } from '../map/view.ts';
import type { Connection } from '../neighbourhood/connection.svelte.ts';
import { createNeighbourhood } from '../neighbourhood/create.ts';
import { emptyDetails } from '../neighbourhood/schema.ts';
import { readNeighbourhood } from '../neighbourhood/view.ts';
import { currentState, FOR_VIEW, forView, sameForView } from './current.ts';
import { readCurrent } from './current-view.ts';
import type { Membership } from './memberships.ts';

const MANAGER = 'manager-0001';

function opened(change: (root: Record<string, unknown>) => void, connection: Partial<Connection> = {}) {
	const created = createNeighbourhood(new Repo(), { ...emptyDetails('Lindenbuurt'), contactPhone: '020 123 4567' }, {
		relays: [],
		manager: { id: MANAGER, profile: { name: 'Fatima', area: '', phone: '', phoneVisibility: 'nobody', helpWith: [], helpNote: '' } }
	});
	created.root.change((d) => change(d as unknown as Record<string, unknown>));
	const doc = created.root.doc();
	const membership = (memberId: string): Membership => ({ root: created.root.url, relay: 'ws://x/sync', key: 'k'.repeat(16), memberId, name: 'Lindenbuurt' });
	const fake = {
		target: { root: created.root.url },
		status: 'shared',
		root: { current: doc },
		neighbourhood: readNeighbourhood(doc),
		memberList: { items: [], skipped: 0 },
		everyone: { items: [], skipped: 0 },
		membersUnavailable: false,
		membersHere: true,
		modules: {
			help: { view: readPosts([]), pending: 0, need: () => undefined },
			agenda: { view: readEvents([]), pending: 0, need: () => undefined },
			map: { view: readMap([]), pending: 0, need: () => undefined }
		},
		...connection
	} as unknown as Connection;
	return { manager: currentState(membership(MANAGER), fake, readCurrent), resident: currentState(membership('resident-01'), fake, readCurrent), created };
}

describe('the current neighbourhood after a peer damaged its root', () => {
	it('is shown, with the problems for the manager, when the version is impossible and the id gone', () => {
		const { manager, resident } = opened((d) => {
			d.schemaVersion = -3;
			delete d.id;
		});
		expect(manager.kind === 'ready' && manager.view.problems.map((p) => p.kind)).toEqual(['version-impossible', 'id-missing']);
		expect(manager.kind === 'ready' && manager.view.manager).toBe(true);
		expect(resident.kind === 'ready' && resident.view.neighbourhood.name).toBe('Lindenbuurt');
	});

	it('says the members list cannot be found, instead of loading forever, once the relay answered', () => {
		const lost = { memberList: undefined, everyone: undefined, membersHere: false, membersUnavailable: true };
		const { manager, resident } = opened((d) => {
			(d.docs as Record<string, unknown>).members = 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu';
		}, lost);
		expect(manager).toMatchObject({ kind: 'unreadable', manager: true, membersLost: { restorable: true } });
		expect(resident).toMatchObject({ kind: 'unreadable', manager: false, remains: { phone: '020 123 4567' } });
		// Without an answer from the relay it may still come: that is loading, not lost.
		const waiting = opened(() => undefined, { ...lost, status: 'connecting' });
		expect(waiting.resident.kind).toBe('loading');
	});
});

describe('the current neighbourhood while its documents come in', () => {
	it('is read without the status line or what is still loading, which the view reads where it is shown', () => {
		const { manager } = opened(() => undefined);
		if (manager.kind !== 'ready') throw new Error('not ready');
		const { connection, membership } = manager.view;
		const read: string[] = [];
		const watched = (name: string, value: unknown) => ({ get: () => (read.push(name), value), configurable: true });
		Object.defineProperties(connection, { status: watched('status', 'sharing'), shut: watched('shut', undefined) });
		const agenda = { view: readEvents([]), arriving: 4, holding: 2, recentOpen: false, recentMissing: false };
		Object.assign(connection.modules, { agenda });
		const state = readCurrent(membership, connection);
		// A page's view of the neighbourhood is made anew when what it read changes (Svelte follows
		// those reads): the status line changes many times while ten years come in.
		expect(read).toEqual([]);
		if (state.kind !== 'ready') throw new Error('not ready');
		const { view } = state;
		expect(view.agendaPending).toBe(4);
		agenda.arriving = 3;
		agenda.holding = 1;
		agenda.recentOpen = true;
		// The same view says what is loading now.
		expect([view.agendaPending, view.agendaHeld, view.agendaRecent]).toEqual([3, 1, true]);
		expect(view.removed).toBe(false);
		expect(read).toEqual(['shut']);
	});
});

describe('the current neighbourhood while the members come in', () => {
	it('is the same view when the list of members changes, which it shows where it is read', () => {
		const { manager } = opened(() => undefined);
		if (manager.kind !== 'ready') throw new Error('not ready');
		const connection = manager.view.connection as unknown as { memberList: unknown; everyone: unknown };
		// Made without reading the list: a change of it is no reason to make the view anew.
		const read: string[] = [];
		let lists = { memberList: undefined as unknown, everyone: undefined as unknown };
		for (const name of ['memberList', 'everyone'] as const) {
			Object.defineProperty(connection, name, { get: () => (read.push(name), lists[name]), set: (value) => (lists = { ...lists, [name]: value }), configurable: true });
		}
		const state = readCurrent(manager.view.membership, manager.view.connection);
		expect(read).toEqual([]);
		if (state.kind !== 'ready') throw new Error('not ready');
		const { view } = state;
		const member = (id: string, name: string, managedBy?: string) => ({ id, name, ...(managedBy ? { managedBy } : {}) });
		const firstList = { items: [member(MANAGER, 'Fatima'), member('resident-02', 'Truus', MANAGER)], skipped: 0 };
		Object.assign(connection, { memberList: firstList, everyone: firstList });
		expect(view.members.map((m) => m.name)).toEqual(['Fatima', 'Truus']);
		expect([view.me?.name, view.managed.map((m) => m.name), [...view.who.actsFor]]).toEqual(['Fatima', ['Truus'], ['resident-02']]);
		const who = view.who;

		// A profile written: the list is new, whom she acts for is the same.
		const renamed = { items: [member(MANAGER, 'Fatima B.'), member('resident-02', 'Truus', MANAGER), member('resident-03', 'Henk')], skipped: 1 };
		Object.assign(connection, { memberList: renamed, everyone: renamed });
		expect([view.me?.name, view.members.length, view.skipped]).toEqual(['Fatima B.', 3, 1]);
		expect(view.who).toBe(who);
		// She takes Henk on too: now another.
		const more = { items: [...renamed.items.slice(0, 2), member('resident-03', 'Henk', MANAGER)], skipped: 0 };
		Object.assign(connection, { memberList: more, everyone: more });
		expect([...view.who.actsFor]).toEqual(['resident-02', 'resident-03']);
		expect(view.who).not.toBe(who);
	});
});

describe('the current neighbourhood while this device keeps its own things in the membership', () => {
	it('is the same view when only the key ring, the device key or a profile still to write changed, and shows the record as it is now', () => {
		const { manager, created } = opened(() => undefined);
		if (manager.kind !== 'ready') throw new Error('not ready');
		const first = manager.view.membership;
		const ring = { member: MANAGER, keys: [{ n: 1, pub: 'p'.repeat(43), priv: 's'.repeat(43) }] };
		const kept = { ...first, ring, deviceKey: ring.keys[0]!, pendingProfile: undefined, credential: 'c'.repeat(40) };
		expect(sameForView(first, kept)).toBe(true);
		// What the view is made from: another person, standing or neighbourhood.
		for (const other of [{ roles: ['agenda' as const] }, { status: 'removed' as const }, { memberId: 'resident-01' }, { root: 'automerge:other' }, { phone: '06 1234 5678' }]) {
			expect(sameForView(first, { ...first, ...other }), JSON.stringify(other)).toBe(false);
		}
		expect(sameForView({ ...first, roles: ['manager', 'agenda'] }, { ...first, roles: ['agenda', 'manager'] })).toBe(true);
		// The record a page's view is made from stays the first while only those change.
		const pick = forView();
		for (const record of [first, kept, { ...kept, ring: undefined }]) expect(pick(record)).toBe(first);
		const moved = { ...kept, roles: ['agenda' as const] };
		expect(pick(moved)).toBe(moved);
		expect(pick(undefined)).toBeUndefined();

		// What the view reads of the record, apart from the record itself: a field read but not
		// compared would leave a page with an old view when only that field changed.
		const read = new Set<string | symbol>();
		const watched = new Proxy(first, { get: (record, field) => (read.add(field), Reflect.get(record, field)) });
		const watchedState = currentState(watched, manager.view.connection, readCurrent);
		if (watchedState.kind !== 'ready') throw new Error('not ready');
		for (const [field, value] of Object.entries(Object.getOwnPropertyDescriptors(watchedState.view))) {
			if (field !== 'membership' && value.get) value.get.call(watchedState.view);
		}
		expect(read.size).toBeGreaterThan(1);
		expect([...read].filter((field) => !(FOR_VIEW as readonly (string | symbol)[]).includes(field))).toEqual([]);

		let now = first;
		const state = currentState(first, manager.view.connection, readCurrent, () => now);
		if (state.kind !== 'ready') throw new Error('not ready');
		now = kept;
		expect(state.view.membership.ring).toEqual(ring);
		expect(state.view.membership.root).toBe(created.root.url);
	});
});

describe("a post's own page", () => {
	it('finds a post among the documents here without bringing the archives, and brings them for one it does not find', () => {
		const quarter = new Repo().create<HelpDoc>(newPeriodDoc('2026Q4'));
		const id = createPost(quarter, { ...blankPost('request'), category: 'boodschappen', title: 'Heg snoeien' }, { memberId: 'resident-01' });
		const needs: unknown[][] = [];
		const help = { view: readPosts([{ url: quarter.url, doc: quarter.doc() }]), pending: 0, need: (...args: unknown[]) => needs.push(args) };
		const { resident } = opened(() => undefined);
		if (resident.kind !== 'ready') throw new Error('not ready');
		Object.assign(resident.view.connection.modules, { help });
		const view = (readCurrent(resident.view.membership, resident.view.connection) as Extract<ReturnType<typeof readCurrent>, { kind: 'ready' }>).view;
		expect(view.findPost(id)?.title).toBe('Heg snoeien');
		expect(needs).toEqual([]);
		expect(view.findPost('archived-long-ago')).toBeUndefined();
		expect(needs).toEqual([[]]);
	});
});

describe('the current neighbourhood before its document code has loaded', () => {
	const membership: Membership = { root: 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu', relay: 'ws://x/sync', key: 'k'.repeat(16), memberId: 'resident-01', name: 'Lindenbuurt' };
	const connection = { target: { root: membership.root }, status: 'shared' } as unknown as Connection;

	it('is the welcome page without a membership, and "loading" with one until the reader is there', () => {
		expect(currentState(undefined, undefined, undefined).kind).toBe('none');
		expect(currentState(membership, undefined, undefined).kind).toBe('loading');
		expect(currentState(membership, connection, undefined).kind).toBe('loading');
		expect(currentState(membership, connection, () => ({ kind: 'refused' })).kind).toBe('refused');
	});

	it('tells a member who waits for approval whom to call, with or without a connection', () => {
		const waiting: Membership = { ...membership, status: 'waiting', phone: '020 123 4567' };
		expect(currentState(waiting, undefined, undefined)).toEqual({ kind: 'waiting', phone: '020 123 4567' });
		expect(currentState(waiting, connection, readCurrent)).toEqual({ kind: 'waiting', phone: '020 123 4567' });
	});
});
