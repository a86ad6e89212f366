// What app and relay say to each other about access, under /api/access/<action>. One definition of
// every request and answer, validated on both sides. Secrets travel in request bodies or in the
// Authorization header, never in an address.
import * as v from 'valibot';
import { RoleSchema } from './roles.ts';
import { SecretSchema } from './secret.ts';
import { cleanLine } from '../validation/plain-text.ts';
import { Home } from '../neighbourhood/home.ts';

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

/**
 * A key ring sealed for a linked device (src/lib/crypto/ring-transfer.ts): the relay keeps it, and
 * cannot open it. 12,000 characters hold a ring of about 80 keys, within the API's 16 KB requests.
 */
const SealedRing = v.pipe(v.string(), v.maxLength(12_000), v.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/));

/** A device's own X25519 public key (base64url of 32 bytes). */
const BoxKey = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));
const KeyNumber = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000));

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
	/** `home`: also the neighbourhood's home screen, for a device that has none kept (just let in). */
	me: v.object({ home: v.optional(v.boolean()) }),
	/** `ring`: the member's key ring, sealed under a secret only the link's fragment carries. */
	linkCode: v.object({ ring: v.optional(SealedRing) }),
	/**
	 * This device's key for receiving its member's key ring (registered on the first call), and what
	 * the relay holds for it: the ring another device of the member sealed to it, the member's other
	 * devices, and whether a device was removed so that the member needs a new key.
	 */
	keyring: v.object({ boxKey: BoxKey }),
	/** The member's ring sealed to each of their other devices; `rotated` after making a new key. */
	putKeyring: v.object({
		rings: v.pipe(v.record(DeviceId, v.object({ ring: SealedRing, n: KeyNumber })), v.check((r) => Object.keys(r).length <= 20, 'too many')),
		rotated: v.boolean()
	}),
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
	undo: v.object({ member: MemberId, since: When }),
	/** Erases a member's data (src/lib/erase): oneself, a member (managers), or a resident one acts for whose consent was withdrawn. */
	erase: v.object({ memberId: MemberId }),
	/** Which documents were rewritten by erasures, so a device can tell that its copy is old; and the auto-erase period. */
	erasures: v.object({}),
	/** The relay's copy of one of the neighbourhood's documents, to put in place of an old copy. */
	document: v.object({ document: v.pipe(v.string(), v.regex(/^[1-9A-HJ-NP-Za-km-z]{20,60}$/)) }),
	/** Managers: members who left are erased after this many months. */
	eraseAfter: v.object({ months: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(120)) }),
	/**
	 * Managers: another relay starts hosting the neighbourhood, with the pairing code its operator
	 * made (`noaber pairing-code`); `url` is that relay's address as its operator gave it.
	 */
	addRelay: v.object({ url: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(300)), code: v.pipe(v.string(), v.trim(), SecretSchema) })
} as const;
export type Action = keyof typeof Requests;
export type Request<A extends Action> = v.InferInput<(typeof Requests)[A]>;

export const AUTHENTICATED = new Set<Action>([
	'me',
	'linkCode',
	'keyring',
	'putKeyring',
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
	'undo',
	'erase',
	'erasures',
	'document',
	'eraseAfter',
	'addRelay'
]);

/** A device's own credential, as the relay hands it out once. */
export const Granted = v.object({
	memberId: MemberId,
	deviceId: DeviceId,
	credential: SecretSchema,
	status: Status,
	roles: v.array(RoleSchema),
	name: v.string(),
	/** On linking: the key ring the first device sealed for this one, if it sent one. */
	ring: v.optional(SealedRing),
	/** For an active member: the neighbourhood's home screen, painted before its documents arrive. A
	 * home this app cannot read is left out: joining does not fail on it. */
	home: v.fallback(v.optional(Home), undefined)
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
	name: v.string(),
	/** Asked for and active: as in `Granted`. */
	home: v.fallback(v.optional(Home), undefined)
});
export type Me = v.InferOutput<typeof Me>;

export const LinkCode = v.object({ code: SecretSchema, expiresAt: When });

export const Keyring = v.object({
	/** The member's ring as another of their devices sealed it to this one, with its newest key's number. */
	ring: v.optional(v.object({ ring: v.string(), n: v.number() })),
	/** The member's other devices that can receive a ring, and the newest key number each was given. */
	devices: v.array(v.object({ id: DeviceId, boxKey: v.string(), n: v.optional(v.number()) })),
	/** A device of the member was removed: this device makes the new key (one device is asked at a time). */
	rotate: v.boolean()
});
export type Keyring = v.InferOutput<typeof Keyring>;
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

export const Erased = v.object({ documents: v.number() });
export type Erased = v.InferOutput<typeof Erased>;
export const ErasureRecord = v.object({ document: v.string(), at: When, first: v.array(v.string()) });
export type ErasureRecord = v.InferOutput<typeof ErasureRecord>;
export const Erasures = v.object({ erasures: v.array(ErasureRecord), eraseAfterMonths: v.number() });
export type Erasures = v.InferOutput<typeof Erasures>;
/** A document as `A.save` wrote it, in base64. */
export const DocumentCopy = v.object({ data: v.string() });
export type DocumentCopy = v.InferOutput<typeof DocumentCopy>;

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
	'tooMany',
	/** Adding a relay: it did not answer, or it hosts another neighbourhood with this root. */
	'unreachable',
	'taken'
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
	keyring: Keyring,
	putKeyring: v.object({}),
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
	undo: Undone,
	erase: Erased,
	erasures: Erasures,
	document: DocumentCopy,
	eraseAfter: v.object({}),
	/** The added relay's websocket address, for the root's list of relays. */
	addRelay: v.object({ relay: v.pipe(v.string(), v.maxLength(300), v.regex(/^wss?:\/\//)) })
} as const satisfies Record<Action, v.GenericSchema>;
export type Answer<A extends Action> = v.InferOutput<(typeof Answers)[A]>;
