// What a page needs about the neighbourhood it shows, derived from the open connection.
import type { Member } from '../members/view.ts';
import { managedBy } from '../members/view.ts';
import type { PostsRead } from '../help/view.ts';
import type { EventsRead } from '../agenda/view.ts';
import type { MapRead } from '../map/view.ts';
import type { Neighbourhood } from '../neighbourhood/schema.ts';
import { membersToRestore } from '../neighbourhood/repair.ts';
import { isEditor, isManager, type RootProblem, type RootRemains } from '../neighbourhood/view.ts';
import type { Connection } from '../automerge/connection.svelte.ts';
import type { Membership } from './memberships.ts';
import type { Role } from '../access/roles.ts';
import type { Who } from '../rules/judge.ts';

export interface CurrentView {
	membership: Membership;
	connection: Connection;
	neighbourhood: Neighbourhood;
	members: Member[];
	/** Invalid items skipped while reading, shown so a manager notices a broken client. */
	skipped: number;
	me: Member | undefined;
	/** This device's person as the relay's rules see them: the module's `may…` functions take it. */
	who: Who;
	manager: boolean;
	/** A manager removed this device or its member: what it holds stays readable, nothing syncs. */
	removed: boolean;
	/** What is wrong with the root, read around: a manager is told and may repair it. */
	problems: RootProblem[];
	/** Residents without a device that this member acts for. */
	managed: Member[];
	/** Names of everyone who ever took part, for history and attribution. */
	names: Map<string, string>;
	posts: PostsRead;
	/** Period documents of the help board still loading. */
	helpPending: number;
	events: EventsRead;
	agendaPending: number;
	map: MapRead;
}

export type CurrentState =
	| { kind: 'none' }
	| { kind: 'loading' }
	| { kind: 'refused' }
	/** Asked to join; a manager has not let them in yet. */
	| { kind: 'waiting'; phone: string }
	/** The root cannot be shown at all: what is left of it says whom to call and who may help. */
	| { kind: 'unreadable'; remains: RootRemains; manager: boolean; membersLost?: { restorable: boolean } }
	| { kind: 'ready'; view: CurrentView };

export function currentState(membership: Membership | undefined, connection: Connection | undefined): CurrentState {
	if (!membership) return { kind: 'none' };
	if (membership.status === 'waiting' || connection?.shut === 'waiting') return { kind: 'waiting', phone: membership.phone ?? '' };
	if (!connection || connection.target.root !== membership.root) return { kind: 'loading' };
	if (connection.status === 'refused' && !connection.neighbourhood) return { kind: 'refused' };
	const root = connection.neighbourhood;
	if (!root) return { kind: 'loading' };
	if (!root.ok) return { kind: 'unreadable', remains: root.remains, manager: root.remains.managers.includes(membership.memberId) };
	const members = connection.memberList;
	if (!members && connection.membersUnavailable && connection.status !== 'connecting') {
		// The relay answered and nobody has the list of members: say so rather than wait forever.
		const n = root.neighbourhood;
		const remains = { name: n.name, phone: n.contact.phone, managers: n.managers };
		const restorable = membersToRestore(connection.root?.current) !== undefined;
		return { kind: 'unreadable', remains, manager: isManager(n, membership.memberId), membersLost: { restorable } };
	}
	if (!members) return { kind: 'loading' };
	const roles = rolesOf(membership, root.neighbourhood);
	const managed = managedBy(members.items, membership.memberId);
	return {
		kind: 'ready',
		view: {
			membership,
			connection,
			neighbourhood: root.neighbourhood,
			members: members.items,
			skipped: members.skipped,
			me: connection.everyone?.items.find((m) => m.id === membership.memberId),
			who: { member: membership.memberId, roles, actsFor: new Set(managed.map((m) => m.id)) },
			manager: roles.includes('manager'),
			removed: membership.status === 'removed' || connection.shut === 'removed',
			problems: root.problems,
			managed,
			names: connection.names,
			posts: connection.posts,
			helpPending: connection.helpPending,
			events: connection.events,
			agendaPending: connection.agendaPending,
			map: connection.map
		}
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
