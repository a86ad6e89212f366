// The current neighbourhood read from its open connection: loaded with the connection (the
// neighbourhoods store does so), because it needs the domain modules and so Automerge.
import type { Connection } from '../neighbourhood/connection.svelte.ts';
import type { Role } from '../access/roles.ts';
import { daysSpan } from '../agenda/span.ts';
import { sinceSpan } from '../help/span.ts';
import { managedBy, type Member } from '../members/view.ts';
import type { Read } from '../automerge/fields.ts';
import type { Neighbourhood } from '../neighbourhood/schema.ts';
import { membersToRestore } from '../neighbourhood/repair.ts';
import { isEditor, isManager } from '../neighbourhood/view.ts';
import type { CurrentState, CurrentView } from './current.ts';
import type { Membership } from './memberships.ts';

/** The open neighbourhood as a page shows it: `currentState` hands over once the connection is open. */
export function readCurrent(membership: Membership, connection: Connection, live: () => Membership | undefined = () => membership): CurrentState {
	// Only what changes who this person is and what the neighbourhood is (its root, whether its
	// members are here) makes a new view; the status line's word, the modules' views, what is still
	// loading, the members themselves and the membership's record are read where they are shown
	// (the getters below). A new view redraws everything that shows it: while ten older years came
	// in, each year and each "Bijgewerkt" made one, 10 to 35 ms each on the cheap phone
	// (bench/member-device.ts).
	const root = connection.neighbourhood;
	if (!root) return connection.status === 'refused' ? { kind: 'refused' } : { kind: 'loading' };
	if (!root.ok) return { kind: 'unreadable', remains: root.remains, manager: root.remains.managers.includes(membership.memberId) };
	if (!connection.membersHere && connection.membersUnavailable && connection.status !== 'connecting') {
		// The relay answered and nobody has the list of members: say so rather than wait forever.
		const n = root.neighbourhood;
		const remains = { name: n.name, phone: n.contact.phone, managers: n.managers };
		const restorable = membersToRestore(connection.root?.current) !== undefined;
		return { kind: 'unreadable', remains, manager: isManager(n, membership.memberId), membersLost: { restorable } };
	}
	if (!connection.membersHere) return { kind: 'loading' };
	const roles = rolesOf(membership, root.neighbourhood);
	const people = membersOf(connection, membership.memberId, roles);
	const { help, agenda, map } = connection.modules;
	return {
		kind: 'ready',
		view: {
			// The record as it is now: this view stays while only what this device keeps changes.
			get membership() {
				return live() ?? membership;
			},
			connection,
			neighbourhood: root.neighbourhood,
			get members() {
				return people().members;
			},
			get skipped() {
				return people().skipped;
			},
			get me() {
				return people().me;
			},
			get who() {
				return people().who;
			},
			manager: roles.includes('manager'),
			get removed() {
				return membership.status === 'removed' || connection.shut === 'removed';
			},
			problems: root.problems,
			get managed() {
				return people().managed;
			},
			get names() {
				return connection.names;
			},
			get posts() {
				help.need();
				return help.view;
			},
			get currentPosts() {
				return help.view;
			},
			findPost: (id) => {
				const found = help.view.items.find((p) => p.id === id);
				if (!found) help.need();
				return found;
			},
			postsSince: (since) => {
				help.need(sinceSpan(since));
				return help.view;
			},
			get helpPending() {
				return help.outstanding;
			},
			get helpRecent() {
				return help.recentOpen;
			},
			get helpMissing() {
				return help.recentMissing;
			},
			get events() {
				agenda.need();
				return agenda.view;
			},
			eventsWithin: (from, to) => {
				agenda.need(daysSpan(from, to));
				return agenda.view;
			},
			allEvents: () => {
				agenda.need();
				return agenda.whole ? agenda.view : undefined;
			},
			findEvent: (id) => {
				const found = agenda.view.items.find((e) => e.id === id);
				if (!found) agenda.need();
				return found;
			},
			// Every page of the agenda shows some days, which a year still on its way may cover.
			get agendaPending() {
				return agenda.arriving;
			},
			get agendaHeld() {
				return agenda.holding;
			},
			get agendaRecent() {
				return agenda.recentOpen;
			},
			get agendaMissing() {
				return agenda.recentMissing;
			},
			get map() {
				return map.view;
			},
			get mapRecent() {
				return map.recentOpen;
			},
			get mapMissing() {
				return map.recentMissing;
			}
		}
	};
}

type People = Pick<CurrentView, 'members' | 'skipped' | 'me' | 'who' | 'managed'>;

/**
 * The view's members, worked out once per list the members' document gives, and read where they
 * are shown: each change of the list (a profile written, a key published, three while joining) made
 * a new view of the whole neighbourhood, 18 to 30 ms of the page's work each on the cheap phone
 * (bench/member-device.ts). Whom this person acts for stays the same object while it is the same
 * people, so what a page decides by it is not worked out again.
 */
function membersOf(connection: Connection, memberId: string, roles: Role[]): () => People {
	let made: { list: Read<Member>; everyone: Read<Member> | undefined; people: People } | undefined;
	return () => {
		// Read for Svelte each time: a page showing them follows the list.
		const list = connection.memberList ?? made?.list ?? { items: [], skipped: 0 };
		const everyone = connection.everyone;
		if (made && made.list === list && made.everyone === everyone) return made.people;
		const managed = managedBy(list.items, memberId);
		const actsFor = new Set(managed.map((m) => m.id));
		const was = made?.people.who;
		const who = was && was.actsFor.size === actsFor.size && [...actsFor].every((id) => was.actsFor.has(id)) ? was : { member: memberId, roles, actsFor };
		const people = { members: list.items, skipped: list.skipped, me: everyone?.items.find((m) => m.id === memberId), who, managed };
		made = { list, everyone, people };
		return people;
	};
}

/**
 * The relay decides who has which role. A device from before December 2026 that has not yet heard
 * from the relay goes by the root document, as it always did, until it has.
 */
function rolesOf(membership: Membership, n: Neighbourhood): Role[] {
	if (membership.roles) return membership.roles;
	const roles: Role[] = [];
	if (isManager(n, membership.memberId)) roles.push('manager');
	if (isEditor(n, 'agenda', membership.memberId)) roles.push('agenda');
	if (isEditor(n, 'map', membership.memberId)) roles.push('map');
	return roles;
}
