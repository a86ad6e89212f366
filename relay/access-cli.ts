// The operator's commands about who may come in: members and their devices, tickets (invite links
// and personal invitations) and the old shared key. They change the access book in the data folder
// directly, so they work whether or not the relay runs; a running relay reads the change within a
// second and closes the connections it took away. A secret (a ticket in an invite link) goes only
// to stdout, for the operator to hand on; nothing here writes a log.
import { parseArgs } from 'node:util';
import type { MemberView, TicketView } from '../src/lib/access/api.ts';
import { ZONE } from '../src/lib/agenda/document.ts';
import { addDays, instantOf, isWall } from '../src/lib/agenda/time.ts';
import { relaySocketUrl } from '../src/lib/neighbourhood/invite.ts';
import { AccessBook } from './access-book.ts';
import { publicOrigin, type RelayConfig } from './config.ts';
import { invitation } from './create.ts';
import { closeOldKey, removeMember } from './revoke.ts';
import { Registry, type NeighbourhoodRecord } from './registry.ts';

export const ACCESS_COMMANDS = ['members', 'remove-member', 'remove-device', 'tickets', 'withdraw-ticket', 'invite', 'close-old-key'] as const;
export type AccessCommand = (typeof ACCESS_COMMANDS)[number];
export const isAccessCommand = (command: string | undefined): command is AccessCommand =>
	(ACCESS_COMMANDS as readonly string[]).includes(command ?? '');

type Out = { log: (line: string) => void; error: (line: string) => void };

/** What went wrong, and the exit code that says so: 2 for the way the command was typed, 1 for the rest. */
class Stop extends Error {
	constructor(
		readonly code: 1 | 2,
		message: string
	) {
		super(message);
	}
}
const usage = (message: string) => new Stop(2, message);
const notFound = (message: string) => new Stop(1, message);

interface Parsed {
	json: boolean;
	for?: string;
	until?: string;
	manager: boolean;
	positionals: string[];
}

/**
 * Ids are base64url and may start with '-' (`-RZEQz01SL5wIohZ`), which parseArgs would take for
 * short options. This command has none, so such a word stands in as a placeholder and comes back
 * after parsing.
 */
const PLACEHOLDER = '\u0000';
const restore = (word: string, dashed: string[]) => (word.startsWith(PLACEHOLDER) ? dashed[Number(word.slice(1))]! : word);

function parse(command: AccessCommand, given: string[]): Parsed {
	const invite = command === 'invite';
	const dashed: string[] = [];
	const args = given.map((word) => (/^-[^-]/.test(word) && word.length > 2 ? `${PLACEHOLDER}${dashed.push(word) - 1}` : word));
	try {
		const { values, positionals } = parseArgs({
			args,
			allowPositionals: true,
			strict: true,
			options: {
				json: { type: 'boolean' },
				...(invite ? { for: { type: 'string' as const }, until: { type: 'string' as const }, manager: { type: 'boolean' as const } } : {})
			}
		});
		const text = (value: unknown) => (typeof value === 'string' ? restore(value, dashed) : undefined);
		return {
			json: values.json === true,
			for: text(values.for),
			until: text(values.until),
			manager: values.manager === true,
			positionals: positionals.map((p) => restore(p, dashed))
		};
	} catch (error) {
		// Node's own text goes on about positionals starting with '-'; its first sentence is enough.
		throw usage(`${(error as Error).message.split('. ')[0]}. See: noaber help`);
	}
}

const quoted = (name: string) => (/\s/.test(name) ? `"${name}"` : name);

/** The neighbourhood named by every positional but `keep` at the end (a name may have spaces). */
function neighbourhoodOf(config: RelayConfig, command: AccessCommand, positionals: string[], keep: number, what = ''): { registry: Registry; record: NeighbourhoodRecord; rest: string[] } {
	const name = positionals.slice(0, positionals.length - keep).join(' ').trim();
	const rest = positionals.slice(positionals.length - keep);
	if (!name || rest.length < keep || rest.some((r) => !r)) throw usage(`Usage: noaber ${command} <neighbourhood>${what}. See: noaber help`);
	const registry = new Registry(config.data);
	const record = registry.find(name);
	if (!record) throw notFound(`No neighbourhood "${name}" on this relay. See: noaber list`);
	return { registry, record, rest };
}

const day = (iso: string | undefined) => iso?.slice(0, 10) ?? '';

function ticketState(ticket: TicketView, now = Date.now()): 'open' | 'withdrawn' | 'used' | 'expired' {
	if (ticket.withdrawnAt) return 'withdrawn';
	if (ticket.personal !== undefined && ticket.usedAt) return 'used';
	if (ticket.expiresAt && Date.parse(ticket.expiresAt) <= now) return 'expired';
	return 'open';
}

const STATE_WORDS = { open: 'geldig / valid', withdrawn: 'ingetrokken / withdrawn', used: 'gebruikt / used', expired: 'verlopen / expired' } as const;

/** A member as the operator sees it: a removed member's devices no longer open anything, so none are shown. */
function memberOut(m: MemberView) {
	return {
		id: m.id,
		name: m.name,
		status: m.status,
		roles: m.roles,
		actsFor: m.actsFor,
		joinedAt: m.joinedAt,
		devices: m.status === 'removed' ? [] : m.devices.map((d) => ({ id: d.id, label: d.label, since: d.createdAt }))
	};
}

function members(config: RelayConfig, parsed: Parsed, out: Out) {
	const { record } = neighbourhoodOf(config, 'members', parsed.positionals, 0);
	const view = new AccessBook(config.data).members(record.id);
	const all = view.members.map(memberOut);
	if (parsed.json) {
		out.log(JSON.stringify({ id: record.id, name: record.name, approval: view.approval, oldKeyOpen: view.oldKeyOpen, members: all }));
		return;
	}
	const active = all.filter((m) => m.status === 'active');
	const waiting = all.filter((m) => m.status === 'waiting');
	const removed = all.filter((m) => m.status === 'removed');
	out.log(`Buurt / neighbourhood: ${record.name} (${record.id})`);
	out.log(`Nieuwe leden / new members: ${view.approval === 'open' ? 'direct binnen / join at once' : 'na goedkeuring / after approval'}`);
	if (record.key) out.log(`Oude gedeelde sleutel / old shared key: ${view.oldKeyOpen ? 'nog open / still open (noaber close-old-key)' : 'gesloten / closed'}`);
	out.log(`Leden / members (${active.length}):`);
	for (const m of active) {
		out.log(`  ${m.id}  ${m.name}${m.roles.length ? `  [${m.roles.join(', ')}]` : ''}  (sinds / since ${day(m.joinedAt)})`);
		if (m.devices.length === 0) out.log('      geen apparaat / no device');
		for (const d of m.devices) out.log(`      apparaat / device ${d.id}${d.label ? `  "${d.label}"` : ''}  sinds / since ${day(d.since)}`);
	}
	if (waiting.length) {
		out.log(`Wachten op goedkeuring / waiting for approval (${waiting.length}): a manager or intermediary lets them in in the app`);
		for (const m of waiting) out.log(`  ${m.id}  ${m.name}  (aangemeld / asked ${day(m.joinedAt)})`);
	}
	if (removed.length) out.log(`Verwijderd / removed: ${removed.length} (noaber members ${quoted(record.name)} --json lists them)`);
}

function removeMemberCommand(config: RelayConfig, parsed: Parsed, out: Out) {
	const { registry, record, rest } = neighbourhoodOf(config, 'remove-member', parsed.positionals, 1, ' <member id>');
	const [memberId] = rest as [string];
	const book = new AccessBook(config.data);
	const member = book.members(record.id).members.find((m) => m.id === memberId);
	const see = `See: noaber members ${quoted(record.name)}`;
	if (!member) throw notFound(`No member "${memberId}" in ${record.name}. ${see}`);
	if (member.status === 'removed') throw notFound(`${member.name} (${memberId}) was already removed from ${record.name}. ${see}`);
	const hadFeed = record.feedToken !== undefined;
	const refusal = removeMember(book, registry, record.id, memberId);
	if (refusal === 'lastManager') {
		throw notFound(
			`${member.name} is the last manager of ${record.name} and stays: a neighbourhood always has a manager. First make someone else manager (in the app, or with a manager's invitation: noaber invite ${quoted(record.name)} --for "Naam" --manager), then remove ${member.name}.`
		);
	}
	if (refusal) throw notFound(`${member.name} could not be removed (${refusal}). ${see}`);
	if (parsed.json) out.log(JSON.stringify({ id: record.id, memberId, name: member.name, status: 'removed', devicesRemoved: member.devices.length, feedReplaced: hadFeed }));
	else {
		out.log(`${member.name} doet niet meer mee met ${record.name} / no longer takes part.`);
		out.log(`Their ${member.devices.length} device(s) are closed within a second (if the relay runs); what they wrote stays.`);
		if (hadFeed) out.log(`The agenda feed has a new address; subscribers need it again: noaber feed ${quoted(record.name)}`);
	}
}

function removeDevice(config: RelayConfig, parsed: Parsed, out: Out) {
	const { record, rest } = neighbourhoodOf(config, 'remove-device', parsed.positionals, 1, ' <device id>');
	const [deviceId] = rest as [string];
	const book = new AccessBook(config.data);
	const owner = book.members(record.id).members.find((m) => m.status !== 'removed' && m.devices.some((d) => d.id === deviceId));
	const device = owner?.devices.find((d) => d.id === deviceId);
	if (!owner || !device) throw notFound(`No device "${deviceId}" in ${record.name} (or it was removed already). See: noaber members ${quoted(record.name)}`);
	const refusal = book.removeDevice(record.id, deviceId);
	if (refusal) throw notFound(`The device could not be removed (${refusal}). See: noaber members ${quoted(record.name)}`);
	const others = owner.devices.length - 1;
	if (parsed.json) out.log(JSON.stringify({ id: record.id, deviceId, memberId: owner.id, name: owner.name, label: device.label, removed: true, otherDevices: others }));
	else {
		out.log(`Apparaat / device ${deviceId}${device.label ? ` "${device.label}"` : ''} of ${owner.name} no longer opens ${record.name}; it is closed within a second (if the relay runs).`);
		out.log(
			others > 0
				? `${owner.name} keeps ${others} other device(s).`
				: `${owner.name} has no device left; a new phone joins with a personal invitation: noaber invite ${quoted(record.name)} --for "${owner.name}"${owner.roles.includes('manager') ? ' --manager' : ''}`
		);
	}
}

function tickets(config: RelayConfig, parsed: Parsed, out: Out) {
	const { record } = neighbourhoodOf(config, 'tickets', parsed.positionals, 0);
	const list = new AccessBook(config.data).members(record.id).tickets.map((t) => ({ ...t, state: ticketState(t) }));
	if (parsed.json) {
		out.log(JSON.stringify(list));
		return;
	}
	if (list.length === 0) {
		out.log(`${record.name} has no invitations yet. Make one: noaber invite ${quoted(record.name)}`);
		return;
	}
	out.log(`Uitnodigingen van / invitations of ${record.name} (${list.length}):`);
	for (const t of list) {
		const who = t.personal !== undefined ? `voor / for "${t.personal}"` : 'voor iedereen / for anyone';
		const until = t.expiresAt ? `  tot / until ${day(t.expiresAt)}` : '';
		out.log(`  ${t.id}  ${who}  (gemaakt / made ${day(t.createdAt)}${until})  ${STATE_WORDS[t.state]}`);
	}
}

function withdrawTicket(config: RelayConfig, parsed: Parsed, out: Out) {
	const { record, rest } = neighbourhoodOf(config, 'withdraw-ticket', parsed.positionals, 1, ' <ticket id>');
	const [ticketId] = rest as [string];
	const book = new AccessBook(config.data);
	const ticket = book.members(record.id).tickets.find((t) => t.id === ticketId);
	const see = `See: noaber tickets ${quoted(record.name)}`;
	if (!ticket) throw notFound(`No invitation "${ticketId}" in ${record.name}. ${see}`);
	if (ticket.withdrawnAt) throw notFound(`Invitation ${ticketId} was already withdrawn on ${day(ticket.withdrawnAt)}. ${see}`);
	const refusal = book.withdrawTicket(record.id, ticketId);
	if (refusal) throw notFound(`The invitation could not be withdrawn (${refusal}). ${see}`);
	if (parsed.json) out.log(JSON.stringify({ id: record.id, ticketId, state: 'withdrawn' }));
	else out.log(`Invitation ${ticketId} lets nobody in any more. Who joined with it stays a member.`);
}

/** The end of a day on the clock in Amsterdam (`--until 2027-01-31`: valid through that Sunday). */
function endOfDay(until: string): string {
	const start = `${until}T00:00`;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || !isWall(start)) throw usage(`--until takes a date as YYYY-MM-DD, e.g. --until 2027-01-31, not "${until}"`);
	const end = instantOf(addDays(start, 1), ZONE);
	if (end.getTime() <= Date.now()) throw usage(`${until} has passed: give a date from today on.`);
	return end.toISOString();
}

function invite(config: RelayConfig, parsed: Parsed, out: Out) {
	// A manager's invitation is always personal: one use, like the first one `noaber create` prints.
	const personal = parsed.for?.trim() ?? (parsed.manager ? 'wijkverbinder' : undefined);
	if (parsed.for !== undefined && (!personal || personal.length > 80)) throw usage('--for takes the name of the person invited (1 to 80 characters), e.g. --for "Mevrouw Jansen"');
	const expiresAt = parsed.until === undefined ? undefined : endOfDay(parsed.until);
	const { record } = neighbourhoodOf(config, 'invite', parsed.positionals, 0);
	const origin = publicOrigin(config);
	const made = invitation(new AccessBook(config.data), record, origin, { personal, expiresAt, ...(parsed.manager ? { roles: ['manager' as const] } : {}) });
	const relay = relaySocketUrl(origin);
	if (parsed.json) {
		out.log(JSON.stringify({ id: record.id, name: record.name, relay, root: record.root, ticketId: made.id, personal, manager: parsed.manager, expiresAt, invite: made.invite }));
		return;
	}
	out.log(`Buurt / neighbourhood: ${record.name} (${record.id})`);
	out.log(`Relay: ${relay}`);
	out.log(personal !== undefined ? `Persoonlijke uitnodiging / personal invitation for "${personal}": one use, no approval needed` : 'Uitnodiging voor iedereen / invitation for anyone');
	if (parsed.manager) out.log('Wie hiermee meedoet, wordt wijkverbinder / whoever joins with it becomes a manager');
	if (expiresAt) out.log(`Geldig tot en met / valid through ${parsed.until}`);
	out.log(`Intrekken / withdraw: noaber withdraw-ticket ${quoted(record.name)} ${made.id}`);
	out.log('Uitnodigingslink / invite link:');
	out.log(made.invite);
}

function closeOldKeyCommand(config: RelayConfig, parsed: Parsed, out: Out) {
	const { registry, record } = neighbourhoodOf(config, 'close-old-key', parsed.positionals, 0);
	const book = new AccessBook(config.data);
	const wasOpen = book.oldKeyOpen(record.id);
	closeOldKey(book, registry, record.id);
	if (parsed.json) out.log(JSON.stringify({ id: record.id, name: record.name, oldKeyOpen: false, wasOpen }));
	else if (!wasOpen) out.log(`The old shared key of ${record.name} was closed already.`);
	else out.log(`The old shared key of ${record.name} no longer opens anything. Devices with their own credential keep working.`);
}

const RUN: Record<AccessCommand, (config: RelayConfig, parsed: Parsed, out: Out) => void> = {
	members,
	'remove-member': removeMemberCommand,
	'remove-device': removeDevice,
	tickets,
	'withdraw-ticket': withdrawTicket,
	invite,
	'close-old-key': closeOldKeyCommand
};

/** Runs one access command; returns the exit code (0 done, 1 nothing found or refused, 2 bad usage). */
export function runAccessCommand(command: AccessCommand, args: string[], config: RelayConfig, out: Out): number {
	try {
		RUN[command](config, parse(command, args), out);
		return 0;
	} catch (error) {
		if (!(error instanceof Stop)) throw error;
		out.error(error.message);
		return error.code;
	}
}
