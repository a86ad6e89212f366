// The relay's authoritative record of who is who in each neighbourhood: members and their roles,
// their devices (each with its own credential), tickets to join and device-link codes. One file
// per neighbourhood, access/<id>.json (mode 0600), written whole (tmp + rename) so that the
// operator command can change it while the relay runs; secrets are kept as hashes only.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { Approval, Granted, Keyring, LinkCode, Members, Refusal, Status } from '../src/lib/access/api.ts';
import { RoleSchema, type Role } from '../src/lib/access/roles.ts';
import { parseSecret } from '../src/lib/access/secret.ts';
import { folderFingerprint } from './folder-fingerprint.ts';
import { makeSecret, matches } from './secrets.ts';
import { mergeBooks } from './access-merge.ts';

/** A device-link code is valid this long (issue #11: ten minutes). */
export const LINK_CODE_MS = 10 * 60 * 1000;
/** A device asked to make its member's new key that has not done so in a day: another is asked. */
const ROTATE_ASK_MS = 24 * 60 * 60 * 1000;
const MAX_WAITING = 200;

const MemberRecord = v.object({
	name: v.string(),
	status: v.picklist(['waiting', 'active', 'removed']),
	roles: v.array(RoleSchema),
	actsFor: v.array(v.string()),
	joinedAt: v.string(),
	approvedBy: v.optional(v.string()),
	removedAt: v.optional(v.string()),
	removedBy: v.optional(v.string()),
	/**
	 * A device of theirs was removed, so the member needs a new key: which device was asked to make
	 * it, and when (another is asked if that one has not done it within a day).
	 */
	rotateKeys: v.optional(v.object({ askedDevice: v.optional(v.string()), askedAt: v.optional(v.string()) })),
	/** When roles and actsFor last changed: the later change wins when two relays merge (access-merge.ts). */
	rolesAt: v.optional(v.string())
});
const DeviceRecord = v.object({
	memberId: v.string(),
	hash: v.string(),
	label: v.string(),
	createdAt: v.string(),
	removedAt: v.optional(v.string()),
	removedBy: v.optional(v.string()),
	/** The device's public key for receiving its member's key ring, and that ring sealed to it (unreadable here). */
	boxKey: v.optional(v.string()),
	ring: v.optional(v.object({ ring: v.string(), n: v.number() })),
	/** When the box key was registered: the later one wins when two relays merge. */
	boxKeyAt: v.optional(v.string())
});
const TicketRecord = v.object({
	hash: v.string(),
	personal: v.optional(v.string()),
	roles: v.optional(v.array(RoleSchema)),
	createdBy: v.optional(v.string()),
	createdAt: v.string(),
	expiresAt: v.optional(v.string()),
	withdrawnAt: v.optional(v.string()),
	usedAt: v.optional(v.string())
});
// `ring`: the member's key ring sealed under a secret the relay never sees (it travels in the link's fragment).
const CodeRecord = v.object({ hash: v.string(), memberId: v.string(), expiresAt: v.string(), usedAt: v.optional(v.string()), ring: v.optional(v.string()) });
/** Who did what, kept so that a handover or a removal can be read back later (newest last). */
const HistoryEntry = v.object({
	at: v.string(),
	action: v.string(),
	by: v.optional(v.string()),
	member: v.optional(v.string()),
	device: v.optional(v.string()),
	roles: v.optional(v.array(RoleSchema))
});
export type HistoryEntry = v.InferOutput<typeof HistoryEntry>;
const MAX_HISTORY = 500;

export const BookFile = v.object({
	approval: v.fallback(v.picklist(['open', 'approval']), 'open'),
	approvalAt: v.optional(v.string()),
	oldKeyClosedAt: v.optional(v.string()),
	members: v.record(v.string(), MemberRecord),
	devices: v.record(v.string(), DeviceRecord),
	tickets: v.record(v.string(), TicketRecord),
	codes: v.record(v.string(), CodeRecord),
	history: v.fallback(v.array(HistoryEntry), [])
});
export type Book = v.InferOutput<typeof BookFile>;
type MemberRecord = v.InferOutput<typeof MemberRecord>;

export const emptyBook = (): Book => ({ approval: 'open', members: {}, devices: {}, tickets: {}, codes: {}, history: [] });

/** Who a credential belongs to. */
export interface Holder {
	neighbourhood: string;
	memberId: string;
	deviceId: string;
	status: Status;
	roles: Role[];
	actsFor: string[];
	name: string;
}

type Result<T> = T | { refused: Refusal };
export const refused = <T>(result: Result<T>): result is { refused: Refusal } =>
	typeof result === 'object' && result !== null && 'refused' in result;

export class AccessBook {
	readonly data: string;
	#books = new Map<string, Book>();
	/** device id → neighbourhood, so a credential is found without a search. */
	#devices = new Map<string, string>();
	#fingerprint = '';
	#now: () => number;
	/**
	 * When each device was last seen; kept in memory, so a busy relay does not write on every visit.
	 * A time, not its text: a third of the memory, for each device that connects.
	 */
	#seen = new Map<string, number>();
	/** Told of every change: the neighbourhood written here, or undefined after files changed on disk (replication.ts). */
	#listeners = new Set<(neighbourhood: string | undefined) => void>();

	constructor(data: string, now: () => number = Date.now) {
		this.data = data;
		this.#now = now;
		mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
		this.reload();
	}

	get #dir() {
		return join(this.data, 'access');
	}

	#currentFingerprint(): string {
		return folderFingerprint([this.#dir], ['.json']);
	}

	reloadIfChanged(): boolean {
		if (this.#currentFingerprint() === this.#fingerprint) return false;
		this.reload();
		return true;
	}

	reload(): void {
		const books = new Map<string, Book>();
		for (const file of readdirSync(this.#dir)) {
			if (!file.endsWith('.json')) continue;
			try {
				const parsed = v.safeParse(BookFile, JSON.parse(readFileSync(join(this.#dir, file), 'utf8')));
				// A damaged file keeps what was read before: nobody is locked out by a half-written file.
				const id = file.replace(/\.json$/, '');
				books.set(id, parsed.success ? parsed.output : (this.#books.get(id) ?? emptyBook()));
			} catch {
				const id = file.replace(/\.json$/, '');
				const before = this.#books.get(id);
				if (before) books.set(id, before);
			}
		}
		this.#books = books;
		this.#devices = new Map();
		for (const [neighbourhood, book] of books) for (const id of Object.keys(book.devices)) this.#devices.set(id, neighbourhood);
		this.#fingerprint = this.#currentFingerprint();
		for (const listener of this.#listeners) listener(undefined);
	}

	onChange(listener: (neighbourhood: string | undefined) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Everything the relay keeps of a neighbourhood's access, as it is on disk now (for a paired relay). */
	records(neighbourhood: string): Book {
		return this.#latest(neighbourhood);
	}

	/**
	 * Takes in what a paired relay holds (access-merge.ts). A device id this relay knows in another
	 * neighbourhood is left out: a peer speaks for its own neighbourhood only. Returns the devices
	 * and members that were in use here and are removed now, so their connections can be closed.
	 */
	mergeIn(neighbourhood: string, incoming: Book): { changed: boolean; removedDevices: string[]; removedMembers: string[] } {
		const book = this.#latest(neighbourhood);
		const theirs: Book = { ...incoming, devices: {} };
		for (const [id, device] of Object.entries(incoming.devices)) {
			const owner = this.#devices.get(id);
			if (owner === undefined || owner === neighbourhood) theirs.devices[id] = device;
		}
		const merged = mergeBooks(book, theirs);
		// As on removal here: nobody acts for a member who is gone.
		const gone = new Set(Object.keys(merged.members).filter((id) => merged.members[id]!.status === 'removed'));
		for (const member of Object.values(merged.members)) member.actsFor = member.actsFor.filter((id) => !gone.has(id));
		const removedDevices = Object.keys(merged.devices).filter((id) => merged.devices[id]!.removedAt && book.devices[id] && !book.devices[id]!.removedAt);
		const removedMembers = Object.keys(merged.members).filter((id) => merged.members[id]!.status === 'removed' && book.members[id] && book.members[id]!.status !== 'removed');
		const changed = JSON.stringify(merged) !== JSON.stringify(book) || !this.#books.has(neighbourhood);
		if (changed) this.#write(neighbourhood, merged);
		return { changed, removedDevices, removedMembers };
	}

	/** The book as it is on disk now: a change is written whole, so it must start from the latest. */
	#latest(neighbourhood: string): Book {
		this.reloadIfChanged();
		return structuredClone(this.#books.get(neighbourhood) ?? emptyBook());
	}

	#write(neighbourhood: string, book: Book) {
		const path = join(this.#dir, `${neighbourhood}.json`);
		const tmp = `${path}.${process.pid}.tmp`;
		writeFileSync(tmp, `${JSON.stringify(book, null, 1)}\n`, { mode: 0o600 });
		renameSync(tmp, path);
		this.#books.set(neighbourhood, book);
		for (const id of Object.keys(book.devices)) this.#devices.set(id, neighbourhood);
		this.#fingerprint = this.#currentFingerprint();
		for (const listener of this.#listeners) listener(neighbourhood);
	}

	#stamp(): string {
		return new Date(this.#now()).toISOString();
	}

	#record(book: Book, entry: Omit<HistoryEntry, 'at'>) {
		book.history.push({ at: this.#stamp(), ...entry });
		if (book.history.length > MAX_HISTORY) book.history.splice(0, book.history.length - MAX_HISTORY);
	}

	#lastSeen(deviceId: string): string | undefined {
		const at = this.#seen.get(deviceId);
		return at === undefined ? undefined : new Date(at).toISOString();
	}

	seen(deviceId: string): void {
		this.#seen.set(deviceId, this.#now());
	}

	/** A member's roles and the residents they act for, as the rules need them; undefined for nobody known. */
	member(neighbourhood: string, memberId: string): { status: Status; roles: Role[]; actsFor: string[] } | undefined {
		// Read for every incoming change: from memory, which the relay reloads when the file changes.
		const members = this.#books.get(neighbourhood)?.members;
		if (!members || !Object.prototype.hasOwnProperty.call(members, memberId)) return undefined;
		const { status, roles, actsFor } = members[memberId];
		return { status, roles, actsFor };
	}

	knowsDevice(deviceId: string): boolean {
		return this.#devices.has(deviceId);
	}

	/** Whether the neighbourhood has any access record yet (an older one has only its shared key). */
	has(neighbourhood: string): boolean {
		return this.#books.has(neighbourhood);
	}

	approval(neighbourhood: string): Approval {
		return this.#books.get(neighbourhood)?.approval ?? 'open';
	}

	oldKeyOpen(neighbourhood: string): boolean {
		return this.#books.get(neighbourhood)?.oldKeyClosedAt === undefined;
	}

	/** Who holds this credential; a removed or unknown one is refused. */
	holder(credential: string): Result<Holder> {
		const parsed = parseSecret(credential);
		const neighbourhood = parsed && this.#devices.get(parsed.id);
		const device = parsed && neighbourhood ? this.#books.get(neighbourhood)?.devices[parsed.id] : undefined;
		if (!parsed || !device || !matches(parsed.secret, device.hash)) return { refused: 'credential' };
		return this.deviceHolder(parsed.id);
	}

	/**
	 * Who holds a device now, its credential checked before (at the door): a device's secret stays
	 * what it was made with (a lost one is removed, and the member links a new device), so the relay
	 * need not keep each connection's secret to ask again when access changes.
	 */
	deviceHolder(deviceId: string): Result<Holder> {
		const neighbourhood = this.#devices.get(deviceId);
		const book = neighbourhood ? this.#books.get(neighbourhood) : undefined;
		const device = book?.devices[deviceId];
		if (!neighbourhood || !book || !device) return { refused: 'credential' };
		const member = book.members[device.memberId];
		if (!member || device.removedAt || member.status === 'removed') return { refused: 'removed' };
		return {
			neighbourhood,
			memberId: device.memberId,
			deviceId,
			status: member.status,
			roles: member.roles,
			actsFor: member.actsFor,
			name: member.name
		};
	}

	#newDevice(book: Book, memberId: string, label: string): { deviceId: string; credential: string } {
		const made = makeSecret();
		book.devices[made.id] = { memberId, hash: made.hash, label, createdAt: this.#stamp() };
		return { deviceId: made.id, credential: made.full };
	}

	#granted(book: Book, memberId: string, device: { deviceId: string; credential: string }): Granted {
		const member = book.members[memberId]!;
		return { memberId, deviceId: device.deviceId, credential: device.credential, status: member.status, roles: member.roles, name: member.name };
	}

	/** The ticket behind a secret, if it still lets someone in. */
	#ticket(book: Book, ticket: string): Result<{ id: string; record: v.InferOutput<typeof TicketRecord> }> {
		const parsed = parseSecret(ticket);
		const record = parsed ? book.tickets[parsed.id] : undefined;
		if (!parsed || !record || !matches(parsed.secret, record.hash)) return { refused: 'ticket' };
		if (record.withdrawnAt) return { refused: 'ticket' };
		if (record.expiresAt && Date.parse(record.expiresAt) <= this.#now()) return { refused: 'expired' };
		if (record.personal !== undefined && record.usedAt) return { refused: 'used' };
		return { id: parsed.id, record };
	}

	ticketInfo(neighbourhood: string, ticket: string): Result<{ approval: Approval; personal?: string; manager?: boolean }> {
		const book = this.#books.get(neighbourhood);
		if (!book) return { refused: 'ticket' };
		const found = this.#ticket(book, ticket);
		if (refused(found)) return found;
		// A personal invitation was made by someone who knows the person: no second approval.
		const manager = found.record.roles?.includes('manager') ? { manager: true } : {};
		return { approval: found.record.personal !== undefined ? 'open' : book.approval, personal: found.record.personal, ...manager };
	}

	/**
	 * A new member with this device. With a ticket: in at once, or waiting when the neighbourhood
	 * asks for approval; without one (from the public page): always waiting.
	 */
	join(neighbourhood: string, input: { ticket?: string; oldKey?: boolean; name: string; label: string; memberId: string }): Result<Granted> {
		const book = this.#latest(neighbourhood);
		let status: Status = 'waiting';
		let roles: Role[] = [];
		// An old flyer's shared key, while the manager has not closed it, works as a ticket for anyone.
		if (input.oldKey) {
			if (book.oldKeyClosedAt) return { refused: 'oldKeyClosed' };
			status = book.approval === 'open' ? 'active' : 'waiting';
		} else if (input.ticket !== undefined) {
			const found = this.#ticket(book, input.ticket);
			if (refused(found)) return found;
			const personal = found.record.personal !== undefined;
			if (personal) found.record.usedAt = this.#stamp();
			status = personal || book.approval === 'open' ? 'active' : 'waiting';
			roles = found.record.roles ?? [];
		}
		const waiting = Object.values(book.members).filter((m) => m.status === 'waiting').length;
		if (status === 'waiting' && waiting >= MAX_WAITING) return { refused: 'tooMany' };
		if (book.members[input.memberId]) return { refused: 'invalid' };
		book.members[input.memberId] = { name: input.name, status, roles, actsFor: [], joinedAt: this.#stamp() };
		const device = this.#newDevice(book, input.memberId, input.label);
		this.#record(book, { action: status === 'waiting' ? 'asked' : 'joined', member: input.memberId, device: device.deviceId, roles });
		this.#write(neighbourhood, book);
		return this.#granted(book, input.memberId, device);
	}

	/**
	 * A device that joined with the old shared key gets its own credential for the member it has
	 * acted as. Roles it held then come from the root document (`seedRoles`), read once: from here
	 * on the relay's list is the one that counts.
	 */
	upgrade(neighbourhood: string, input: { memberId: string; name: string; label: string; seedRoles: Role[] }): Result<Granted> {
		const book = this.#latest(neighbourhood);
		if (book.oldKeyClosedAt) return { refused: 'oldKeyClosed' };
		const member = book.members[input.memberId];
		if (member?.status === 'removed') return { refused: 'removed' };
		// Once: anyone holding the old key could otherwise take a copy of any member's access. A
		// member's second device joins with a link code made on the first.
		if (member) return { refused: 'used' };
		book.members[input.memberId] = { name: input.name, status: 'active', roles: input.seedRoles, actsFor: [], joinedAt: this.#stamp() };
		const device = this.#newDevice(book, input.memberId, input.label);
		this.#record(book, { action: 'upgraded', member: input.memberId, device: device.deviceId, roles: book.members[input.memberId]!.roles });
		this.#write(neighbourhood, book);
		return this.#granted(book, input.memberId, device);
	}

	/** The neighbourhood's first manager, who made it in the browser. */
	found(neighbourhood: string, input: { memberId: string; name: string; label: string }): Granted {
		const book = this.#latest(neighbourhood);
		book.members[input.memberId] = { name: input.name, status: 'active', roles: ['manager'], actsFor: [], joinedAt: this.#stamp() };
		const device = this.#newDevice(book, input.memberId, input.label);
		this.#record(book, { action: 'founded', member: input.memberId, device: device.deviceId, roles: ['manager'] });
		this.#write(neighbourhood, book);
		return this.#granted(book, input.memberId, device);
	}

	linkCode(holder: Holder, ring?: string): LinkCode {
		const book = this.#latest(holder.neighbourhood);
		const now = this.#now();
		// Old codes go, used or not: a code is only worth keeping for its ten minutes.
		for (const [id, code] of Object.entries(book.codes)) if (Date.parse(code.expiresAt) <= now) delete book.codes[id];
		const made = makeSecret(16);
		const expiresAt = new Date(now + LINK_CODE_MS).toISOString();
		book.codes[made.id] = { hash: made.hash, memberId: holder.memberId, expiresAt, ...(ring ? { ring } : {}) };
		this.#write(holder.neighbourhood, book);
		return { code: made.full, expiresAt };
	}

	link(neighbourhood: string, code: string, label: string): Result<Granted> {
		const book = this.#latest(neighbourhood);
		const parsed = parseSecret(code);
		const record = parsed ? book.codes[parsed.id] : undefined;
		if (!parsed || !record || record.usedAt || !matches(parsed.secret, record.hash)) return { refused: 'ticket' };
		if (Date.parse(record.expiresAt) <= this.#now()) return { refused: 'expired' };
		const member = book.members[record.memberId];
		if (!member || member.status === 'removed') return { refused: 'removed' };
		record.usedAt = this.#stamp();
		const ring = record.ring;
		delete record.ring;
		const device = this.#newDevice(book, record.memberId, label);
		this.#record(book, { action: 'linked', member: record.memberId, device: device.deviceId });
		this.#write(neighbourhood, book);
		return { ...this.#granted(book, record.memberId, device), ...(ring ? { ring } : {}) };
	}

	members(neighbourhood: string): Members {
		const book = this.#books.get(neighbourhood) ?? emptyBook();
		const devicesOf = (memberId: string) =>
			Object.entries(book.devices)
				.filter(([, d]) => d.memberId === memberId && !d.removedAt)
				.map(([id, d]) => ({ id, label: d.label, createdAt: d.createdAt, lastSeenAt: this.#lastSeen(id) }));
		return {
			approval: book.approval,
			oldKeyOpen: book.oldKeyClosedAt === undefined,
			history: book.history.slice(-100).reverse(),
			members: Object.entries(book.members).map(([id, m]) => ({
				id,
				name: m.name,
				status: m.status,
				roles: m.roles,
				actsFor: m.actsFor,
				joinedAt: m.joinedAt,
				devices: devicesOf(id)
			})),
			tickets: Object.entries(book.tickets).map(([id, t]) => ({
				id,
				personal: t.personal,
				createdAt: t.createdAt,
				expiresAt: t.expiresAt,
				withdrawnAt: t.withdrawnAt,
				usedAt: t.usedAt
			}))
		};
	}

	#change(neighbourhood: string, entry: Omit<HistoryEntry, 'at'>, change: (book: Book) => Refusal | undefined): Refusal | undefined {
		const book = this.#latest(neighbourhood);
		const refusal = change(book);
		if (refusal) return refusal;
		this.#record(book, entry);
		this.#write(neighbourhood, book);
		return undefined;
	}

	approve(neighbourhood: string, memberId: string, by: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'approved', by, member: memberId }, (book) => {
			const member = book.members[memberId];
			if (!member || member.status !== 'waiting') return 'unknown';
			member.status = 'active';
			member.approvedBy = by;
		});
	}

	/** Takes away every device of the member; what they wrote stays in the documents. */
	/** `by` undefined: the operator, from the shell. */
	removeMember(neighbourhood: string, memberId: string, by?: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'removed member', by, member: memberId }, (book) => {
			const member = book.members[memberId];
			if (!member || member.status === 'removed') return 'unknown';
			if (member.roles.includes('manager') && managersOf(book).length <= 1) return 'lastManager';
			member.status = 'removed';
			member.roles = [];
			member.removedAt = this.#stamp();
			member.removedBy = by;
			for (const other of Object.values(book.members)) other.actsFor = other.actsFor.filter((id) => id !== memberId);
		});
	}

	removeDevice(neighbourhood: string, deviceId: string, by?: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'removed device', by, device: deviceId }, (book) => {
			const device = book.devices[deviceId];
			if (!device || device.removedAt) return 'unknown';
			device.removedAt = this.#stamp();
			device.removedBy = by;
			delete device.ring;
			// What is sealed to the member from now on must be out of the removed device's reach.
			const member = book.members[device.memberId];
			if (member) member.rotateKeys = {};
		});
	}

	/**
	 * What a device needs to keep its member's key ring: registers its box key, and answers with the
	 * ring sealed to it, the member's other devices, and whether it should make the new key.
	 */
	keyring(holder: Holder, boxKey: string): Keyring {
		const book = this.#latest(holder.neighbourhood);
		const device = book.devices[holder.deviceId];
		const member = book.members[holder.memberId];
		let changed = false;
		if (device && device.boxKey !== boxKey) {
			device.boxKey = boxKey;
			device.boxKeyAt = this.#stamp();
			delete device.ring;
			changed = true;
		}
		let rotate = false;
		const asked = member?.rotateKeys;
		if (asked) {
			const stale = asked.askedAt === undefined || Date.parse(asked.askedAt) + ROTATE_ASK_MS <= this.#now();
			if (asked.askedDevice === holder.deviceId || stale) {
				rotate = true;
				if (asked.askedDevice !== holder.deviceId) {
					member.rotateKeys = { askedDevice: holder.deviceId, askedAt: this.#stamp() };
					changed = true;
				}
			}
		}
		if (changed) this.#write(holder.neighbourhood, book);
		const devices = Object.entries(book.devices)
			.filter(([id, d]) => id !== holder.deviceId && d.memberId === holder.memberId && !d.removedAt && d.boxKey)
			.map(([id, d]) => ({ id, boxKey: d.boxKey!, ...(d.ring ? { n: d.ring.n } : {}) }));
		return { ...(device?.ring ? { ring: device.ring } : {}), devices, rotate };
	}

	/** Keeps the rings a device sealed for its member's other devices; only for that member's own devices. */
	putKeyring(holder: Holder, rings: Record<string, { ring: string; n: number }>, rotated: boolean): Refusal | undefined {
		const book = this.#latest(holder.neighbourhood);
		for (const id of Object.keys(rings)) {
			const device = book.devices[id];
			if (!device || device.memberId !== holder.memberId || device.removedAt) return 'unknown';
		}
		for (const [id, ring] of Object.entries(rings)) book.devices[id]!.ring = ring;
		const member = book.members[holder.memberId];
		if (rotated && member?.rotateKeys?.askedDevice === holder.deviceId) delete member.rotateKeys;
		this.#write(holder.neighbourhood, book);
		return undefined;
	}

	setRoles(neighbourhood: string, memberId: string, roles: Role[], by: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'roles', by, member: memberId, roles: [...new Set(roles)] }, (book) => {
			const member = book.members[memberId];
			if (!member || member.status !== 'active') return 'unknown';
			if (member.roles.includes('manager') && !roles.includes('manager') && managersOf(book).length <= 1) return 'lastManager';
			member.roles = [...new Set(roles)];
			if (!member.roles.includes('intermediary')) member.actsFor = [];
			member.rolesAt = this.#stamp();
			member.approvedBy ??= by;
		});
	}

	makeTicket(neighbourhood: string, input: { personal?: string; expiresAt?: string; roles?: Role[]; by?: string }): { id: string; ticket: string } {
		const book = this.#latest(neighbourhood);
		const made = makeSecret(16);
		book.tickets[made.id] = {
			hash: made.hash,
			personal: input.personal,
			roles: input.roles,
			createdBy: input.by,
			createdAt: this.#stamp(),
			expiresAt: input.expiresAt
		};
		this.#write(neighbourhood, book);
		return { id: made.id, ticket: made.full };
	}

	withdrawTicket(neighbourhood: string, ticketId: string, by?: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'withdrew invitation', by }, (book) => {
			const ticket = book.tickets[ticketId];
			if (!ticket || ticket.withdrawnAt) return 'unknown';
			ticket.withdrawnAt = this.#stamp();
		});
	}

	setApproval(neighbourhood: string, approval: Approval, by?: string): void {
		this.#change(neighbourhood, { action: `new members: ${approval}`, by }, (book) => {
			book.approval = approval;
			book.approvalAt = this.#stamp();
			return undefined;
		});
	}

	closeOldKey(neighbourhood: string, by?: string): void {
		this.#change(neighbourhood, { action: 'closed the old key', by }, (book) => void (book.oldKeyClosedAt ??= this.#stamp()));
	}

	/** Something done elsewhere that belongs in the history, e.g. a manager's undo (change-history.ts). */
	note(neighbourhood: string, entry: Omit<HistoryEntry, 'at'>): void {
		this.#change(neighbourhood, entry, () => undefined);
	}

	/**
	 * Erasing a member (relay/erase.ts): their name becomes `marker`, their devices' labels and a
	 * personal invitation in their name are forgotten, and they are removed. Ids stay, so the
	 * history still reads who did what, without saying who that was.
	 */
	forget(neighbourhood: string, memberId: string, marker: string, by?: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'erased member', by, member: memberId }, (book) => {
			const member = book.members[memberId];
			if (!member) return 'unknown';
			if (member.status !== 'removed' && member.roles.includes('manager') && managersOf(book).length <= 1) return 'lastManager';
			for (const ticket of Object.values(book.tickets)) if (ticket.personal === member.name) ticket.personal = marker;
			for (const device of Object.values(book.devices)) {
				if (device.memberId !== memberId) continue;
				device.label = '';
				device.removedAt ??= this.#stamp();
			}
			member.name = marker;
			if (member.status !== 'removed') {
				member.status = 'removed';
				member.roles = [];
				member.removedAt = this.#stamp();
				member.removedBy = by;
			}
			for (const other of Object.values(book.members)) other.actsFor = other.actsFor.filter((id) => id !== memberId);
		});
	}

	/** The member a device belongs to, for attributing what it sends. */
	memberOfDevice(deviceId: string): string | undefined {
		const neighbourhood = this.#devices.get(deviceId);
		return neighbourhood ? this.#books.get(neighbourhood)?.devices[deviceId]?.memberId : undefined;
	}

	/**
	 * Re-seeding a neighbourhood whose relay is gone (adopt-api.ts): the members its documents name,
	 * without devices. A member gets a device here only through an invitation (`rejoin`). Members
	 * this book knows already keep what it says.
	 */
	seedMembers(neighbourhood: string, members: ReadonlyArray<{ id: string; name: string; roles: Role[]; left: boolean }>): number {
		const book = this.#latest(neighbourhood);
		let added = 0;
		for (const m of members) {
			if (Object.prototype.hasOwnProperty.call(book.members, m.id)) continue;
			book.members[m.id] = { name: m.name, status: m.left ? 'removed' : 'active', roles: m.left ? [] : m.roles, actsFor: [], joinedAt: this.#stamp() };
			added += 1;
		}
		if (added === 0) return 0;
		this.#record(book, { action: `seeded ${added} members from the documents` });
		this.#write(neighbourhood, book);
		return added;
	}

	/**
	 * A member the documents named (seedMembers) joins with an invitation as themselves: their member
	 * id, posts and key ring stay theirs. Only their first device here; a member with roles needs a
	 * personal invitation, so a link for anyone cannot make its holder a manager by naming one.
	 */
	rejoin(neighbourhood: string, input: { ticket: string; memberId: string; label: string }): Result<Granted> {
		const book = this.#latest(neighbourhood);
		if (!Object.prototype.hasOwnProperty.call(book.members, input.memberId)) return { refused: 'unknown' };
		const member = book.members[input.memberId]!;
		if (member.status === 'removed') return { refused: 'removed' };
		if (Object.values(book.devices).some((d) => d.memberId === input.memberId)) return { refused: 'unknown' };
		const found = this.#ticket(book, input.ticket);
		if (refused(found)) return found;
		const personal = found.record.personal !== undefined;
		if (!personal && member.roles.length > 0) return { refused: 'forbidden' };
		if (personal) found.record.usedAt = this.#stamp();
		else if (book.approval === 'approval') member.status = 'waiting';
		const device = this.#newDevice(book, input.memberId, input.label);
		this.#record(book, { action: 'rejoined', member: input.memberId, device: device.deviceId, roles: member.roles });
		this.#write(neighbourhood, book);
		return this.#granted(book, input.memberId, device);
	}

	/** A resident without a device, recorded by the intermediary who acts for them. */
	addManaged(neighbourhood: string, intermediary: string, memberId: string, name: string): Refusal | undefined {
		return this.#change(neighbourhood, { action: 'acts for', by: intermediary, member: memberId }, (book) => {
			const actor = book.members[intermediary];
			if (!actor || !(actor.roles.includes('intermediary') || actor.roles.includes('manager'))) return 'forbidden';
			const existing = book.members[memberId];
			if (existing && existing.status === 'removed') return 'removed';
			book.members[memberId] ??= { name, status: 'active', roles: [], actsFor: [], joinedAt: this.#stamp() };
			if (!actor.actsFor.includes(memberId)) {
				actor.actsFor.push(memberId);
				actor.rolesAt = this.#stamp();
			}
		});
	}
}

function managersOf(book: Book): Array<[string, MemberRecord]> {
	return Object.entries(book.members).filter(([, m]) => m.status === 'active' && m.roles.includes('manager'));
}
