// What app and relay say to each other about access, under /api/access/<action>. One definition of
// every request and answer, validated on both sides. Secrets travel in request bodies or in the
// Authorization header, never in an address.
import * as v from 'valibot';
import { RoleSchema } from './roles.ts';
import { SecretSchema } from './secret.ts';
import { cleanLine } from '../validation/plain-text.ts';

const Root = v.pipe(v.string(), v.maxLength(100), v.regex(/^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/));
export const MemberId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
const DeviceId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,32}$/));
// Names and labels are shown to managers and in "gedaan door": one clean line (plain-text.ts).
const Name = v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.minLength(1), v.maxLength(80));
const When = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp());
const Label = v.pipe(v.string(), v.transform(cleanLine), v.trim(), v.maxLength(60));

export const Status = v.picklist(['waiting', 'active', 'removed']);
export type Status = v.InferOutput<typeof Status>;
export const Approval = v.picklist(['open', 'approval']);
export type Approval = v.InferOutput<typeof Approval>;

/** Requests, by action. Those marked `auth` need a device credential in the Authorization header. */
export const Requests = {
	/** What a ticket opens, shown before joining: never a document, only the neighbourhood's name. */
	ticket: v.object({ root: Root, ticket: SecretSchema }),
	/** Joins with a ticket, or without one asks to join (always waits for approval). */
	join: v.object({ root: Root, ticket: v.optional(SecretSchema), name: Name, label: v.optional(Label) }),
	/** A device with the old shared key (in the Authorization header) gets its own credential. */
	upgrade: v.object({ root: Root, memberId: MemberId, name: v.optional(v.pipe(v.string(), v.transform(cleanLine), v.maxLength(80))), label: v.optional(Label) }),
	/** A second device of mine, with a code made on the first. */
	link: v.object({ root: Root, code: SecretSchema, label: v.optional(Label) }),
	me: v.object({}),
	linkCode: v.object({}),
	members: v.object({}),
	approve: v.object({ memberId: MemberId }),
	removeMember: v.object({ memberId: MemberId }),
	removeDevice: v.object({ deviceId: DeviceId }),
	roles: v.object({ memberId: MemberId, roles: v.pipe(v.array(RoleSchema), v.maxLength(4)) }),
	/** A ticket for anyone (open) or for one named person (personal, used once). */
	makeTicket: v.object({ personal: v.optional(Name), expiresAt: v.optional(When) }),
	withdrawTicket: v.object({ ticketId: DeviceId }),
	settings: v.object({ approval: Approval }),
	closeOldKey: v.object({}),
	/** An intermediary records a resident without a device, whom they act for. */
	managed: v.object({ memberId: MemberId, name: Name }),
	/** Managers: recent changes to the neighbourhood's documents, newest first ("Wijzigingen"). */
	changes: v.object({
		member: v.optional(MemberId),
		since: v.optional(When),
		limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)))
	}),
	/** Managers: one new change per document that undoes everything a member changed since a moment. */
	undo: v.object({ member: MemberId, since: When })
} as const;
export type Action = keyof typeof Requests;
export type Request<A extends Action> = v.InferInput<(typeof Requests)[A]>;

export const AUTHENTICATED = new Set<Action>([
	'me',
	'linkCode',
	'members',
	'approve',
	'removeMember',
	'removeDevice',
	'roles',
	'makeTicket',
	'withdrawTicket',
	'settings',
	'closeOldKey',
	'managed',
	'changes',
	'undo'
]);

/** A device's own credential, as the relay hands it out once. */
export const Granted = v.object({
	memberId: MemberId,
	deviceId: DeviceId,
	credential: SecretSchema,
	status: Status,
	roles: v.array(RoleSchema),
	name: v.string()
});
export type Granted = v.InferOutput<typeof Granted>;

export const TicketInfo = v.object({
	name: v.string(),
	phone: v.string(),
	/** The kinds of help, so the new member can say at once what they like to help with. */
	categories: v.array(v.string()),
	approval: Approval,
	personal: v.optional(v.string()),
	/** The shell's first invitation: whoever joins with it runs the neighbourhood. */
	manager: v.optional(v.boolean())
});
export type TicketInfo = v.InferOutput<typeof TicketInfo>;

export const Me = v.object({
	memberId: MemberId,
	deviceId: DeviceId,
	status: Status,
	roles: v.array(RoleSchema),
	actsFor: v.array(MemberId),
	name: v.string()
});
export type Me = v.InferOutput<typeof Me>;

export const LinkCode = v.object({ code: SecretSchema, expiresAt: When });
export type LinkCode = v.InferOutput<typeof LinkCode>;

export const DeviceView = v.object({ id: DeviceId, label: v.string(), createdAt: When, lastSeenAt: v.optional(When) });
export const MemberView = v.object({
	id: MemberId,
	name: v.string(),
	status: Status,
	roles: v.array(RoleSchema),
	actsFor: v.array(MemberId),
	joinedAt: When,
	devices: v.array(DeviceView)
});
export type MemberView = v.InferOutput<typeof MemberView>;
export const TicketView = v.object({
	id: DeviceId,
	personal: v.optional(v.string()),
	createdAt: When,
	expiresAt: v.optional(When),
	withdrawnAt: v.optional(When),
	usedAt: v.optional(When)
});
export type TicketView = v.InferOutput<typeof TicketView>;
export const HistoryView = v.object({
	at: When,
	action: v.string(),
	by: v.optional(MemberId),
	member: v.optional(MemberId),
	device: v.optional(DeviceId),
	roles: v.optional(v.array(RoleSchema))
});
export const Members = v.object({
	members: v.array(MemberView),
	/** Who did what, newest first: a handover or a removal can be read back. */
	history: v.array(HistoryView),
	tickets: v.array(TicketView),
	approval: Approval,
	oldKeyOpen: v.boolean()
});
export type Members = v.InferOutput<typeof Members>;

/** Which module's document a change was made to. */
export const ChangeModule = v.picklist(['neighbourhood', 'members', 'help', 'agenda', 'map', 'other']);
export type ChangeModule = v.InferOutput<typeof ChangeModule>;
/** What a change was made to: a post, an event, a service …, the neighbourhood's settings or a profile. */
export const ChangeTarget = v.picklist(['post', 'event', 'service', 'organization', 'location', 'profile', 'settings', 'document']);
export type ChangeTarget = v.InferOutput<typeof ChangeTarget>;
export const ChangeAction = v.picklist(['made', 'edited', 'hidden', 'shown', 'responded', 'signedUp', 'cancelled', 'removed', 'restored']);
export type ChangeAction = v.InferOutput<typeof ChangeAction>;
export const ChangeItem = v.object({
	at: When,
	/** Absent when not known: an old change the relay did not record and cannot place. */
	member: v.optional(MemberId),
	/** False: from before the relay recorded changes, guessed from what the change itself says. */
	recorded: v.boolean(),
	/** The relay wrote it to undo someone's changes; `member` is the manager who asked. */
	undo: v.boolean(),
	module: ChangeModule,
	target: ChangeTarget,
	/** The post's or event's title, the service's name, the member's name; '' for settings. */
	title: v.pipe(v.string(), v.maxLength(200)),
	action: ChangeAction
});
export type ChangeItem = v.InferOutput<typeof ChangeItem>;
export const ChangeList = v.object({ changes: v.array(ChangeItem) });
export type ChangeList = v.InferOutput<typeof ChangeList>;
export const UndoneDocument = v.object({
	module: ChangeModule,
	/** The member's changes to this document that were undone. */
	changes: v.number(),
	restored: v.number(),
	removed: v.number(),
	hidden: v.number(),
	/** Fields someone else changed afterwards, left as they are. */
	kept: v.number()
});
export const Undone = v.object({ documents: v.array(UndoneDocument) });
export type Undone = v.InferOutput<typeof Undone>;

export const MadeTicket = v.object({ id: DeviceId, ticket: SecretSchema });
export type MadeTicket = v.InferOutput<typeof MadeTicket>;

/** Why the relay said no; the app words each for the resident. */
export const REFUSALS = [
	'invalid',
	'unknown',
	'ticket',
	'expired',
	'used',
	'credential',
	'removed',
	'waiting',
	'forbidden',
	'lastManager',
	'oldKeyClosed',
	'tooMany'
] as const;
export type Refusal = (typeof REFUSALS)[number];
export const RefusalSchema = v.object({ error: v.picklist(REFUSALS) });

export const Answers = {
	ticket: TicketInfo,
	join: Granted,
	upgrade: Granted,
	link: Granted,
	me: Me,
	linkCode: LinkCode,
	members: Members,
	approve: v.object({}),
	removeMember: v.object({}),
	removeDevice: v.object({}),
	roles: v.object({}),
	makeTicket: MadeTicket,
	withdrawTicket: v.object({}),
	settings: v.object({}),
	closeOldKey: v.object({}),
	managed: v.object({}),
	changes: ChangeList,
	undo: Undone
} as const satisfies Record<Action, v.GenericSchema>;
export type Answer<A extends Action> = v.InferOutput<(typeof Answers)[A]>;
