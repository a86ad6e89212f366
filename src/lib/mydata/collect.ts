// "Mijn gegevens": everything Noaber holds about one member (and about each resident they act
// for), gathered from the typed, validated views the app already has. The AVG right of access
// covers one's own data only, so every item is cut down to what is this person's: a neighbour's
// response on my post, the title of a neighbour's post I responded to, a thank-you someone wrote
// me and other members' ids are left out. Pure, so the rule "nothing of anyone else" is tested.
import type { AgendaEvent } from '../agenda/view.ts';
import type { Post } from '../help/view.ts';
import type { MapRead } from '../map/view.ts';
import type { Member } from '../members/view.ts';
import type { ConsentHow } from '../members/document.ts';
import { consentGiven } from '../members/consent.ts';
import type { Membership } from '../device/memberships.ts';
import type { Neighbourhood } from '../neighbourhood/schema.ts';
import type { Role } from '../access/roles.ts';

/** A device of this member as the relay lists it. */
export interface MyDevice {
	id: string;
	/** What the device was called when it joined; '' when the relay only said which device this is. */
	label: string;
	createdAt?: string;
	lastSeenAt?: string;
	thisDevice: boolean;
}

/**
 * One message this person wrote in a conversation on a post ("Berichten"). Messages are sealed to
 * the two sides (help/conversation.ts); the page opens this person's own beforehand (open-mine.ts).
 * Messages others wrote are theirs and stay out.
 */
export interface MyMessage {
	postId: string;
	at: string;
	/** Absent when this device cannot open it (sealed to a key it was never given). */
	text?: string;
	madeForYou: boolean;
}
/** The texts this device opened beforehand, by their sealed form; undefined when it could not. */
export type OpenedTexts = (sealed: string) => string | undefined;

export interface MyProfile {
	name: string;
	area: string;
	phone: string;
	phoneVisibility: Member['phoneVisibility'];
	helpWith: string[];
	helpNote: string;
	joinedAt: string;
	updatedAt: string;
	leftAt?: string;
}

export interface MyConsent {
	at: string;
	how: ConsentHow;
	/** Recorded by the person who downloads (their intermediary): the only id worth naming here. */
	recordedByYou: boolean;
}

export interface MyPost {
	id: string;
	kind: Post['kind'];
	category: string;
	title: string;
	description: string;
	when: Post['when'];
	where: string;
	contact: Post['contact'];
	status: Post['status'];
	createdAt: string;
	updatedAt: string;
	agreedAt?: string;
	doneAt?: string;
	withdrawnAt?: string;
	/** Made by someone acting for this person (their intermediary). */
	madeForYou: boolean;
	/** The thank-you this person wrote to whoever helped. */
	thanks?: { at: string; message: string };
	/** A manager hid it; the reason is the manager's text and is not repeated here. */
	hiddenAt?: string;
	/** What this person did on the post, in order. */
	history: { at: string; action: string }[];
}

/** A response on someone else's post: the response is mine, the post is not (only what kind it was). */
export interface MyResponse {
	postId: string;
	postKind: Post['kind'];
	postCategory: string;
	message: string;
	/** The message was sealed and this device could not open it. */
	messageUnreadable?: true;
	at: string;
	acceptedAt?: string;
	withdrawnAt?: string;
	madeForYou: boolean;
}

export interface MySignup {
	eventId: string;
	/** Events are the neighbourhood's announcements: the title and start say what was signed up for. */
	eventTitle: string;
	eventStart: string;
	/** '' for every date of a series. */
	occurrence: string;
	at: string;
	cancelledAt?: string;
	/** Dates of a series this person said they would not come. */
	away: string[];
	madeForYou: boolean;
}

export interface MyEvent {
	id: string;
	title: string;
	description: string;
	start: string;
	end: string;
	location: string;
	organiser: string;
	contact: string;
	createdAt: string;
	cancelledAt?: string;
}

export interface MyMapItem {
	kind: 'organization' | 'service' | 'location';
	id: string;
	name: string;
	/** Added by this person, or only last changed by them. */
	role: 'created' | 'updated';
	at: string;
}

export interface PersonData {
	memberId: string;
	/** Absent when the members list on this device does not (yet) hold the profile. */
	profile?: MyProfile;
	roles: Role[];
	consent?: MyConsent;
	posts: MyPost[];
	responses: MyResponse[];
	/** Dates on which someone thanked this person for helping (their words are theirs). */
	thanked: { postId: string; at: string }[];
	signups: MySignup[];
	events: MyEvent[];
	map: MyMapItem[];
	messages: MyMessage[];
}

export interface MyData {
	format: 'noaber.mydata';
	version: 1;
	madeAt: string;
	neighbourhood: { name: string; address: string; relay: string };
	/** What this device keeps about the membership, without its credential or key. */
	device: { memberId: string; status?: Membership['status']; roles?: Role[]; helpdeskPhone?: string; waitingProfile: boolean };
	/** Undefined when the relay could not be asked (offline, or an old device without a credential). */
	devices?: MyDevice[];
	person: PersonData;
	/** Residents without a device this person acts for, each in its own section. */
	actsFor: PersonData[];
}

export interface Sources {
	membership: Membership;
	neighbourhood: Neighbourhood;
	/** Everyone who ever took part, those who left included. */
	everyone: Member[];
	posts: Post[];
	events: AgendaEvent[];
	map: MapRead;
	/** This member's roles as the relay says (the device's record, else the root). */
	roles: Role[];
	devices?: MyDevice[];
	/** Sealed response messages and conversation messages of these people, opened (open-mine.ts). */
	opened?: OpenedTexts;
	now?: Date;
}

const profileOf = (m: Member, opened: OpenedTexts): MyProfile => ({
	name: m.name,
	area: (m.areaSealed && opened(m.areaSealed)) || m.area,
	phone: (m.phoneSealed && opened(m.phoneSealed)) || m.phone,
	phoneVisibility: m.phoneVisibility,
	helpWith: [...m.helpWith],
	helpNote: m.helpNote,
	joinedAt: m.joinedAt,
	updatedAt: m.updatedAt,
	...(m.leftAt ? { leftAt: m.leftAt } : {})
});

function postOf(post: Post, id: string): MyPost {
	const mine: MyPost = {
		id: post.id,
		kind: post.kind,
		category: post.category,
		title: post.title,
		description: post.description,
		when: { ...post.when },
		where: post.where,
		contact: post.contact,
		status: post.status,
		createdAt: post.createdAt,
		updatedAt: post.updatedAt,
		madeForYou: post.actedBy !== undefined && post.actedBy !== id,
		history: post.history.filter((h) => h.by === id).map((h) => ({ at: h.at, action: h.action }))
	};
	if (post.agreedAt) mine.agreedAt = post.agreedAt;
	if (post.doneAt) mine.doneAt = post.doneAt;
	if (post.withdrawnAt) mine.withdrawnAt = post.withdrawnAt;
	if (post.thanks && post.thanks.by === id) mine.thanks = { at: post.thanks.at, message: post.thanks.message };
	if (post.hidden) mine.hiddenAt = post.hidden.at;
	return mine;
}

/** Sealed since #14; older responses kept their message in the clear. */
function responseMessage(r: Post['responses'][number], opened: OpenedTexts): Pick<MyResponse, 'message' | 'messageUnreadable'> {
	if (!r.sealed) return { message: r.message };
	const text = opened(r.sealed);
	return text === undefined ? { message: '', messageUnreadable: true } : { message: text };
}

function responsesOf(posts: Post[], id: string, opened: OpenedTexts): MyResponse[] {
	return posts.flatMap((post) =>
		post.responses
			.filter((r) => r.by === id)
			.map((r) => ({
				postId: post.id,
				postKind: post.kind,
				postCategory: post.category,
				...responseMessage(r, opened),
				at: r.at,
				...(r.acceptedAt ? { acceptedAt: r.acceptedAt } : {}),
				...(r.withdrawnAt ? { withdrawnAt: r.withdrawnAt } : {}),
				madeForYou: r.actedBy !== undefined && r.actedBy !== id
			}))
	);
}

/** What this person wrote in the conversations on any post: on their own posts and on others'. */
function messagesOf(posts: Post[], id: string, opened: OpenedTexts): MyMessage[] {
	return posts.flatMap((post) =>
		post.responses.flatMap((r) =>
			r.messages
				.filter((m) => m.by === id)
				.map((m) => {
					const text = opened(m.sealed);
					return { postId: post.id, at: m.at, ...(text === undefined ? {} : { text }), madeForYou: m.actedBy !== undefined && m.actedBy !== id };
				})
		)
	);
}

function signupsOf(events: AgendaEvent[], id: string): MySignup[] {
	return events.flatMap((event) =>
		event.signups
			.filter((s) => s.member === id)
			.map((s) => ({
				eventId: event.id,
				eventTitle: event.title,
				eventStart: event.start,
				occurrence: s.occurrence,
				at: s.at,
				...(s.cancelledAt ? { cancelledAt: s.cancelledAt } : {}),
				away: Object.keys(s.away ?? {}).sort(),
				madeForYou: s.actedBy !== undefined && s.actedBy !== id
			}))
	);
}

const eventOf = (e: AgendaEvent): MyEvent => ({
	id: e.id,
	title: e.title,
	description: e.description,
	start: e.start,
	end: e.end,
	location: e.location.name,
	organiser: e.organiser,
	contact: e.contact,
	createdAt: e.createdAt,
	...(e.cancelled ? { cancelledAt: e.cancelled.at } : {})
});

function mapOf(map: MapRead, id: string): MyMapItem[] {
	const items: { kind: MyMapItem['kind']; list: { id: string; name: string; created: { by: string; at: string }; updated: { by: string; at: string } }[] }[] = [
		{ kind: 'organization', list: map.organizations },
		{ kind: 'service', list: map.services },
		{ kind: 'location', list: map.locations }
	];
	return items.flatMap(({ kind, list }) =>
		list.flatMap((item): MyMapItem[] => {
			if (item.created.by === id) return [{ kind, id: item.id, name: item.name, role: 'created', at: item.created.at }];
			if (item.updated.by === id) return [{ kind, id: item.id, name: item.name, role: 'updated', at: item.updated.at }];
			return [];
		})
	);
}

function personOf(id: string, roles: Role[], sources: Sources, downloader: string): PersonData {
	const member = sources.everyone.find((m) => m.id === id);
	const opened = sources.opened ?? (() => undefined);
	const person: PersonData = {
		memberId: id,
		roles,
		posts: sources.posts.filter((p) => p.author === id).map((p) => postOf(p, id)),
		responses: responsesOf(sources.posts, id, opened),
		thanked: sources.posts.flatMap((p) =>
			p.thanks && p.thanks.by !== id && p.helpers.includes(id) ? [{ postId: p.id, at: p.thanks.at }] : []
		),
		signups: signupsOf(sources.events, id),
		events: sources.events.filter((e) => e.author === id).map(eventOf),
		map: mapOf(sources.map, id),
		messages: messagesOf(sources.posts, id, opened)
	};
	if (member) person.profile = profileOf(member, opened);
	const consent = member?.consent && consentGiven(member.consent, opened);
	if (member?.consent && consent) person.consent = { ...consent, recordedByYou: member.consent.by === downloader };
	return person;
}

/** What Noaber holds about the member of this device, and about each resident they act for. */
export function collectMyData(sources: Sources): MyData {
	const { membership, neighbourhood } = sources;
	const me = membership.memberId;
	const residents = sources.everyone.filter((m) => m.managedBy === me && m.id !== me);
	return {
		format: 'noaber.mydata',
		version: 1,
		madeAt: (sources.now ?? new Date()).toISOString(),
		neighbourhood: { name: neighbourhood.name, address: membership.root, relay: membership.relay },
		device: {
			memberId: me,
			...(membership.status ? { status: membership.status } : {}),
			...(membership.roles ? { roles: [...membership.roles] } : {}),
			...(membership.phone ? { helpdeskPhone: membership.phone } : {}),
			waitingProfile: membership.pendingProfile !== undefined
		},
		...(sources.devices ? { devices: sources.devices.map((d) => ({ ...d })) } : {}),
		person: personOf(me, sources.roles, sources, me),
		actsFor: residents.map((r) => personOf(r.id, [], sources, me))
	};
}

/** The download's contents: indented, so it can be read in any text editor. */
export const myDataJson = (data: MyData): string => `${JSON.stringify(data, null, 2)}\n`;
