// What a page needs about the neighbourhood it shows, derived from the open connection.
import type { Member } from '../members/view.ts';
import type { Post, PostsRead } from '../help/view.ts';
import type { AgendaEvent, EventsRead } from '../agenda/view.ts';
import type { Wall } from '../agenda/time.ts';
import type { MapRead } from '../map/view.ts';
import type { Neighbourhood } from '../neighbourhood/schema.ts';
import type { RootProblem } from '../neighbourhood/problems.ts';
import type { RootRemains } from '../neighbourhood/view.ts';
import type { Connection } from '../neighbourhood/connection.svelte.ts';
import type { Membership } from './memberships.ts';
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
	/**
	 * Every post: reading it brings the board's archives (long-closed years) to the page too, as they
	 * arrive (`helpPending` counts them). The board as it first shows reads `currentPosts`, the home
	 * screen's news `postsSince`: they then need no year of long ago.
	 */
	readonly posts: PostsRead;
	/** The posts of the board's quarters, and of archives a page brought: every open post is among them. */
	readonly currentPosts: PostsRead;
	/** One post: from the documents here, else the board's archives are brought to find it. */
	findPost(id: string): Post | undefined;
	/** The posts something happened to from `since` (ISO) on, with the others of their documents. */
	postsSince(since: string): PostsRead;
	/** Help documents still coming to the page: older quarters, and archives a page asked for. */
	helpPending: number;
	/** The help board's recent quarters are here (or no relay has them): its news is there. */
	helpRecent: boolean;
	/** One of those is neither on this device nor on its way (offline, or no relay has it). */
	helpMissing: boolean;
	/**
	 * Every activity of the neighbourhood: reading it brings the agenda's older years to the page
	 * too, as they arrive (`agendaPending` counts them). A page that shows some days reads
	 * `eventsWithin`, one activity `findEvent`: this week then needs no year of long ago.
	 */
	readonly events: EventsRead;
	/** The activities of the agenda's documents that cover any day from `from` to `to` (or on). */
	eventsWithin(from: Wall, to?: Wall): EventsRead;
	/**
	 * Every activity, once every year is here (none on its way, none kept in the documents worker);
	 * none before. For what must not miss a year: the agenda file, an import, "Mijn gegevens".
	 */
	allEvents(): EventsRead | undefined;
	/** One activity: from the documents here, else every year is brought to find it. */
	findEvent(id: string): AgendaEvent | undefined;
	/** The agenda's documents still coming to the page: older years, and those a page asked for. */
	agendaPending: number;
	/** Older years the documents worker keeps until a page needs them: an activity not found may be in one. */
	agendaHeld: number;
	/** The agenda's series and the years around today are here (or no relay has them): this week shows as it is. */
	agendaRecent: boolean;
	/** One of those is neither on this device nor on its way (offline, or no relay has it). */
	agendaMissing: boolean;
	map: MapRead;
	/** The social map's document is here (or no relay has it): the services show as they are. */
	mapRecent: boolean;
	/** It is neither on this device nor on its way (offline, or no relay has it). */
	mapMissing: boolean;
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

/**
 * Reads an open neighbourhood: `readCurrent` in current-view.ts, loaded with the connection. `live`:
 * the membership's record as it is now, which the view's `membership` is (`sameForView`).
 */
export type CurrentReader = (membership: Membership, connection: Connection, live?: () => Membership | undefined) => CurrentState;

/** The fields of a membership's record that `currentState` and `readCurrent` read (current.test.ts). */
export const FOR_VIEW = ['root', 'memberId', 'status', 'phone', 'name', 'roles'] as const satisfies readonly (keyof Membership)[];

/**
 * Whether two records of a membership make the same view of its neighbourhood: the same person in
 * the same neighbourhood, with the same standing (status, roles) and the phone number a waiting
 * member is shown. The record also keeps what only this device uses (its key ring and device key,
 * a profile still to write, its credential): storing one needs no new view, and pages read those
 * from the record as it is now. Three such stores while joining each made a new view, and every
 * page part worked out all it shows again (bench/member-device.ts).
 */
export function sameForView(a: Membership, b: Membership): boolean {
	const roles = (m: Membership) => (m.roles ? [...m.roles].sort().join(' ') : undefined);
	return FOR_VIEW.every((field) => (field === 'roles' ? roles(a) === roles(b) : a[field] === b[field]));
}

/**
 * Hands back the record it was given last as long as each next one makes the same view: a derived
 * value that returns it stays unchanged for what reads it (Svelte compares by identity).
 */
export function forView(): (now: Membership | undefined) => Membership | undefined {
	let last: Membership | undefined;
	return (now) => (last = now && last && sameForView(last, now) ? last : now);
}

/**
 * What to show for the current neighbourhood. Before the connection and its reader are loaded this
 * needs no document code, so the welcome page and "wordt geladen" paint without it.
 */
export function currentState(
	membership: Membership | undefined,
	connection: Connection | undefined,
	read: CurrentReader | undefined,
	live?: () => Membership | undefined
): CurrentState {
	if (!membership) return { kind: 'none' };
	if (membership.status === 'waiting' || connection?.shut === 'waiting') return { kind: 'waiting', phone: membership.phone ?? '' };
	if (!connection || connection.target.root !== membership.root || !read) return { kind: 'loading' };
	return read(membership, connection, live);
}
