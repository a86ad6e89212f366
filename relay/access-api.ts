// POST /api/access/<action>: joining with a ticket, linking a device, and what managers do with
// members, devices, roles and tickets. Every body is checked against the shared definitions in
// src/lib/access/api.ts; the device's credential comes in the Authorization header. Failed
// guesses at a secret count against the caller's address (attempts.ts). No secret is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Repo } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';
import { AUTHENTICATED, Requests, type Action, type Refusal } from '../src/lib/access/api.ts';
import { mayLetIn, mayManage, type Role } from '../src/lib/access/roles.ts';
import { refused, type AccessBook, type Holder } from './access-book.ts';
import type { Attempts } from './attempts.ts';
import type { ChangeHistory } from './change-history.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';
import { closeOldKey, removeMember } from './revoke.ts';
import { newId } from './secrets.ts';
import { ERASURE_ACTIONS, handleErasure, type ErasureAction } from './erase-api.ts';
import type { Eraser } from './erase.ts';
import { readJson, bearer } from './json-request.ts';
import { homeFor, readRoot, rolesInRoot } from './neighbourhood-reading.ts';

const MAX_BODY = 16 * 1024;
const STATUS: Record<Refusal, number> = {
	invalid: 400,
	unknown: 404,
	ticket: 403,
	expired: 403,
	used: 403,
	credential: 401,
	removed: 403,
	waiting: 403,
	forbidden: 403,
	lastManager: 409,
	oldKeyClosed: 403,
	tooMany: 429,
	unreachable: 502,
	taken: 409
};
/** Refusals that mean a wrong secret was tried. */
const GUESSES = new Set<Refusal>(['ticket', 'credential']);

export interface AccessContext {
	registry: Registry;
	book: AccessBook;
	attempts: Attempts;
	repo: Repo;
	log: Logger;
	/** Called after a change that may take access away: open connections are checked again. */
	revoked: () => void;
	/** Tells the neighbourhood's open devices that access changed, so they ask who they are now. */
	changed: (neighbourhood: string) => void;
	/** Recent changes and undo (managers). */
	history?: ChangeHistory;
	/** Someone asked to join and waits for approval: the managers hear of it. */
	waiting?: (neighbourhood: string, memberId: string) => void;
	/** Erasing members' data (erase.ts). */
	eraser?: Eraser;
	/** Pairing with another relay (add-relay.ts); `req` tells this relay's own address. */
	addRelay?: (neighbourhood: string, input: { url: string; code: string }, req: IncomingMessage) => Promise<{ relay: string } | { refused: Refusal }>;
}

// The app may be served from another address than its relay; the credential travels in a header,
// never a cookie, so any page may ask.
const CORS = { 'access-control-allow-origin': '*' };

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

export async function handleAccess(req: IncomingMessage, res: ServerResponse, action: string, context: AccessContext): Promise<void> {
	const { registry, book, attempts, log } = context;
	if (req.method === 'OPTIONS') {
		res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
		res.end();
		return;
	}
	if (req.method !== 'POST') return json(res, 405, { error: 'invalid' });
	if (!Object.hasOwn(Requests, action)) return json(res, 404, { error: 'unknown' });
	const address = attempts.addressOf(req);
	if (attempts.blocked(address)) return json(res, 429, { error: 'tooMany' });
	const parsed = v.safeParse(Requests[action as Action], await readJson(req, MAX_BODY));
	if (!parsed.success) return json(res, 400, { error: 'invalid' });
	const body = parsed.output as Record<string, unknown>;
	registry.reloadIfChanged();
	book.reloadIfChanged();

	const refuse = (refusal: Refusal) => {
		if (GUESSES.has(refusal)) attempts.failed(address);
		log.info({ action, refusal }, 'access refused');
		return json(res, STATUS[refusal], { error: refusal });
	};

	let holder: Holder | undefined;
	if (AUTHENTICATED.has(action as Action)) {
		const found = book.holder(bearer(req) ?? '');
		if (refused(found)) return refuse(found.refused);
		holder = found;
		book.seen(found.deviceId);
		if (action !== 'me' && found.status !== 'active') return refuse('waiting');
	}

	const neighbourhoodOfRoot = (root: unknown) => registry.list().find((r) => r.root === root)?.id;

	switch (action as Action) {
		case 'ticket': {
			const neighbourhood = neighbourhoodOfRoot(body.root);
			if (!neighbourhood) return refuse('ticket');
			const info = book.ticketInfo(neighbourhood, body.ticket as string);
			if (refused(info)) return refuse(info.refused);
			// The helpdesk phone, so someone waiting for approval knows whom to call.
			const details = await readRoot(context.repo, registry.find(neighbourhood)!.root);
			return json(res, 200, {
				name: details?.name ?? registry.find(neighbourhood)?.name ?? '',
				phone: details?.contact.phone ?? '',
				categories: details?.settings.helpCategories ?? [],
				...info
			});
		}
		case 'join': {
			const neighbourhood = neighbourhoodOfRoot(body.root);
			if (!neighbourhood) return refuse(body.ticket ? 'ticket' : 'unknown');
			const key = bearer(req);
			const oldKey = key !== undefined && registry.neighbourhoodForKey(key) === neighbourhood;
			if (key !== undefined && !oldKey) return refuse('credential');
			const granted = book.join(neighbourhood, {
				oldKey,
				ticket: body.ticket as string | undefined,
				name: body.name as string,
				label: (body.label as string | undefined) ?? '',
				memberId: newId()
			});
			if (refused(granted)) return refuse(granted.refused);
			log.info({ neighbourhood, member: granted.memberId, status: granted.status }, 'member joined');
			if (granted.status === 'waiting') context.waiting?.(neighbourhood, granted.memberId);
			return json(res, 201, { ...granted, home: await homeFor(context.repo, registry.find(neighbourhood)!.root, granted) });
		}
		case 'upgrade': {
			const neighbourhood = neighbourhoodOfRoot(body.root);
			const keyOpens = neighbourhood !== undefined && registry.neighbourhoodForKey(bearer(req)) === neighbourhood;
			if (!keyOpens) return refuse('credential');
			const memberId = body.memberId as string;
			const granted = book.upgrade(neighbourhood, {
				memberId,
				name: (body.name as string | undefined) ?? '',
				label: (body.label as string | undefined) ?? '',
				seedRoles: await rolesInRoot(context.repo, registry.find(neighbourhood)!.root, memberId)
			});
			if (refused(granted)) return refuse(granted.refused);
			log.info({ neighbourhood, member: memberId }, 'device moved from the shared key to its own credential');
			return json(res, 201, granted);
		}
		case 'link': {
			const neighbourhood = neighbourhoodOfRoot(body.root);
			if (!neighbourhood) return refuse('ticket');
			const granted = book.link(neighbourhood, body.code as string, (body.label as string | undefined) ?? '');
			if (refused(granted)) return refuse(granted.refused === 'ticket' ? 'ticket' : granted.refused);
			log.info({ neighbourhood, member: granted.memberId }, 'device linked');
			return json(res, 201, { ...granted, home: await homeFor(context.repo, registry.find(neighbourhood)!.root, granted) });
		}
		case 'me': {
			const h = holder!;
			const root = body.home === true ? registry.find(h.neighbourhood)?.root : undefined;
			const home = root ? await homeFor(context.repo, root, h) : undefined;
			return json(res, 200, { memberId: h.memberId, deviceId: h.deviceId, status: h.status, roles: h.roles, actsFor: h.actsFor, name: h.name, home });
		}
		case 'linkCode':
			return json(res, 201, book.linkCode(holder!, body.ring as string | undefined));
		case 'keyring':
			return json(res, 200, book.keyring(holder!, body.boxKey as string));
		case 'putKeyring': {
			const refusal = book.putKeyring(holder!, body.rings as Record<string, { ring: string; n: number }>, body.rotated as boolean);
			if (refusal) return refuse(refusal);
			if (body.rotated) log.info({ neighbourhood: holder!.neighbourhood, member: holder!.memberId }, 'member key renewed');
			return json(res, 200, {});
		}
		case 'members':
			return mayLetIn(holder!.roles) ? json(res, 200, book.members(holder!.neighbourhood)) : refuse('forbidden');
		case 'addRelay': {
			if (!mayManage(holder!.roles) || !context.addRelay) return refuse(context.addRelay ? 'forbidden' : 'unknown');
			const added = await context.addRelay(holder!.neighbourhood, { url: body.url as string, code: body.code as string }, req);
			if ('refused' in added) return refuse(added.refused);
			log.info({ neighbourhood: holder!.neighbourhood, by: holder!.memberId }, 'relay added');
			return json(res, 201, added);
		}
		default:
			if (ERASURE_ACTIONS.has(action)) return handleErasure(action as ErasureAction, body, holder!, (status, answer) => json(res, status, answer), refuse, context);
			return manage(action as Action, body, holder!, res, context, refuse);
	}
}

/** What managers (and, for letting people in, intermediaries) do. */
function manage(
	action: Action,
	body: Record<string, unknown>,
	holder: Holder,
	res: ServerResponse,
	context: AccessContext,
	refuse: (refusal: Refusal) => void
) {
	const { book, registry, log } = context;
	const n = holder.neighbourhood;
	const done = (refusal: Refusal | undefined, revokes = false) => {
		if (refusal) return refuse(refusal);
		log.info({ neighbourhood: n, action, by: holder.memberId }, 'access changed');
		if (revokes) context.revoked();
		context.changed(n);
		json(res, 200, {});
	};
	const manager = mayManage(holder.roles);
	switch (action) {
		case 'approve':
			return mayLetIn(holder.roles) ? done(book.approve(n, body.memberId as string, holder.memberId)) : refuse('forbidden');
		case 'makeTicket': {
			const personal = body.personal as string | undefined;
			// Intermediaries invite the people they help, one by one; open tickets are the managers'.
			if (!(manager || (personal !== undefined && mayLetIn(holder.roles)))) return refuse('forbidden');
			const made = book.makeTicket(n, { personal, expiresAt: body.expiresAt as string | undefined, by: holder.memberId });
			log.info({ neighbourhood: n, by: holder.memberId, personal: personal !== undefined }, 'ticket made');
			return json(res, 201, { id: made.id, ticket: made.ticket });
		}
		case 'managed':
			return done(book.addManaged(n, holder.memberId, body.memberId as string, body.name as string));
		default:
			break;
	}
	if (!manager) return refuse('forbidden');
	switch (action) {
		case 'removeMember': {
			return done(removeMember(book, registry, n, body.memberId as string, holder.memberId), true);
		}
		case 'removeDevice':
			return done(book.removeDevice(n, body.deviceId as string, holder.memberId), true);
		case 'roles':
			return done(book.setRoles(n, body.memberId as string, body.roles as Role[], holder.memberId));
		case 'withdrawTicket':
			return done(book.withdrawTicket(n, body.ticketId as string, holder.memberId));
		case 'settings':
			book.setApproval(n, body.approval as 'open' | 'approval', holder.memberId);
			return done(undefined);
		case 'closeOldKey':
			closeOldKey(book, registry, n, holder.memberId);
			return done(undefined, true);
		case 'changes':
		case 'undo':
			return changeHistory(action, body, holder, res, context, refuse);
		default:
			return refuse('invalid');
	}
}

/** "Wijzigingen": the list, and undoing one member's changes since a moment (managers only). */
async function changeHistory(
	action: 'changes' | 'undo',
	body: Record<string, unknown>,
	holder: Holder,
	res: ServerResponse,
	context: AccessContext,
	refuse: (refusal: Refusal) => void
) {
	const history = context.history;
	if (!history) return refuse('unknown');
	const n = holder.neighbourhood;
	if (action === 'changes') {
		const since = body.since === undefined ? undefined : Date.parse(body.since as string);
		const changes = await history.list(n, { member: body.member as string | undefined, since, limit: body.limit as number | undefined });
		return json(res, 200, { changes });
	}
	const member = body.member as string;
	const since = Date.parse(body.since as string);
	const undone = await history.undoMember(n, { member, since, by: holder.memberId });
	context.book.note(n, { action: `undid changes since ${new Date(since).toISOString()}`, by: holder.memberId, member });
	return json(res, 200, undone);
}
