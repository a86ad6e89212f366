// POST /api/adopt/<action>: a neighbourhood whose relay is gone for good comes to this relay from a
// member's own copy (issue #15). What this relay believes, and why:
// - The operator's one-time code (adopt-codes.ts) is the approval to host it. The device that shows
//   it names the root; its member becomes the first manager here, as with `noaber create`.
// - For a day, that device alone may bring its copy's documents whole (`seed`), past the referee:
//   its copy holds every member's history, which no single member's changes could be judged as.
//   Only the root and what the root lists are taken; a document another neighbourhood owns is not.
// - The other members and their roles come from what the documents show (members document, the
//   root's managers and editors), without devices. Nobody gets a credential but through the
//   adopting device or an invitation; with one, a member's device joins as that member (`rejoin`).
// No secret and no document content is logged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as A from '@automerge/automerge/slim';
import type { DocHandle, DocumentId, Repo } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';
import { AdoptRequests, MAX_SEED_BYTES, type AdoptAction, type AdoptRefusal } from '../src/lib/access/adopt-api.ts';
import type { Role } from '../src/lib/access/roles.ts';
import { listedDocuments } from '../src/lib/neighbourhood/documents.ts';
import { readNeighbourhood, isEditor, isManager } from '../src/lib/neighbourhood/view.ts';
import { readMembers } from '../src/lib/members/view.ts';
import { refused, type AccessBook } from './access-book.ts';
import type { AdoptCodes } from './adopt-codes.ts';
import type { Attempts } from './attempts.ts';
import { loadDocument } from './load-document.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';
import { newId } from './secrets.ts';
import { readJson, bearer } from './json-request.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';

const MAX_BODY = 16 * 1024;
const MAX_SEED_BODY = Math.ceil((MAX_SEED_BYTES * 4) / 3) + 1024;
const STATUS: Record<AdoptRefusal, number> = {
	invalid: 400,
	code: 403,
	expired: 403,
	used: 403,
	hosted: 409,
	credential: 401,
	forbidden: 403,
	unlisted: 403,
	ticket: 403,
	removed: 403,
	unknown: 404,
	tooMany: 429
};
/** Refusals that mean a wrong secret was tried: they count against the caller's address. */
const GUESSES = new Set<AdoptRefusal>(['code', 'credential', 'ticket']);
const CORS = { 'access-control-allow-origin': '*' };

export interface AdoptContext {
	repo: Repo;
	registry: Registry;
	book: AccessBook;
	codes: AdoptCodes;
	attempts: Attempts;
	log: Logger;
	/** The relay's data folder: whether a document is on disk already. */
	data: string;
}

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}


export async function handleAdopt(req: IncomingMessage, res: ServerResponse, action: string, context: AdoptContext): Promise<void> {
	const { registry, book, codes, attempts, log } = context;
	if (req.method === 'OPTIONS') {
		res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
		res.end();
		return;
	}
	if (req.method !== 'POST') return json(res, 405, { error: 'invalid' });
	if (!Object.hasOwn(AdoptRequests, action)) return json(res, 404, { error: 'unknown' });
	const address = attempts.addressOf(req);
	if (attempts.blocked(address)) return json(res, 429, { error: 'tooMany' });
	const parsed = v.safeParse(AdoptRequests[action as AdoptAction], await readJson(req, action === 'seed' ? MAX_SEED_BODY : MAX_BODY));
	if (!parsed.success) return json(res, 400, { error: 'invalid' });
	registry.reloadIfChanged();
	book.reloadIfChanged();
	const refuse = (refusal: AdoptRefusal) => {
		if (GUESSES.has(refusal)) attempts.failed(address);
		log.info({ action, refusal }, 'adopt refused');
		return json(res, STATUS[refusal], { error: refusal });
	};
	const hostedRoot = (root: string) => registry.list().find((r) => r.root === root);

	switch (action as AdoptAction) {
		case 'adopt': {
			const body = parsed.output as v.InferOutput<(typeof AdoptRequests)['adopt']>;
			const refusal = codes.check(body.code);
			if (refusal) return refuse(refusal);
			// The root is hosted here already, or is some neighbourhood's document: nothing to adopt.
			if (hostedRoot(body.root) || registry.ownerOf(body.root) !== undefined) return refuse('hosted');
			// From here on nothing waits: a second request with the same code cannot slip in between.
			const record = registry.add({ id: newId(), name: body.name, root: body.root, documents: [body.root] });
			const granted = book.found(record.id, { memberId: body.memberId, name: body.memberName, label: body.label ?? '' });
			codes.use(body.code, record.id, granted.deviceId);
			log.info({ neighbourhood: record.id, member: granted.memberId }, 'neighbourhood adopted from a member device (its relay is gone)');
			return json(res, 201, granted);
		}
		case 'seed': {
			const body = parsed.output as v.InferOutput<(typeof AdoptRequests)['seed']>;
			const holder = book.holder(bearer(req) ?? '');
			if (refused(holder)) return refuse(holder.refused === 'credential' ? 'credential' : 'forbidden');
			if (!codes.maySeed(holder.neighbourhood, holder.deviceId)) return refuse('forbidden');
			const record = registry.find(holder.neighbourhood);
			if (!record) return refuse('forbidden');
			const rootId = documentIdOf(record.root);
			const isRoot = body.document === rootId;
			if (!isRoot) {
				const root = documentOf(context.repo, rootId);
				if (!root || !listedDocuments(root).map(documentIdOf).includes(body.document)) return refuse('unlisted');
				const owner = registry.ownerOf(body.document);
				if (owner !== undefined && owner !== record.id && !registry.isProvisional(body.document)) return refuse('unlisted');
			}
			const bytes = new Uint8Array(Buffer.from(body.data, 'base64'));
			try {
				A.load(bytes);
			} catch {
				return refuse('invalid');
			}
			const handle = await bring(context, body.document, bytes);
			if (!handle) return refuse('invalid');
			if (!isRoot) registry.claim(body.document, record.id);
			const added = seedMembers(context, record.id, rootId);
			log.info({ neighbourhood: record.id, document: body.document, bytes: bytes.length, membersAdded: added }, 'document brought by the adopting device');
			return json(res, 200, { document: body.document });
		}
		case 'rejoin': {
			const body = parsed.output as v.InferOutput<(typeof AdoptRequests)['rejoin']>;
			const record = hostedRoot(body.root);
			if (!record) return refuse('ticket');
			const granted = book.rejoin(record.id, { ticket: body.ticket, memberId: body.memberId, label: body.label ?? '' });
			if (refused(granted)) {
				const reason = granted.refused;
				return refuse(reason === 'expired' || reason === 'used' || reason === 'removed' || reason === 'unknown' || reason === 'forbidden' ? reason : 'ticket');
			}
			log.info({ neighbourhood: record.id, member: granted.memberId, status: granted.status }, 'member device followed its neighbourhood here');
			return json(res, 201, granted);
		}
	}
}

function documentOf(repo: Repo, documentId: string): A.Doc<unknown> | undefined {
	const handle = repo.handles[documentId as DocumentId];
	return handle?.isReady() ? handle.doc() : undefined;
}

/**
 * Merges a whole document into the relay's copy. A document on disk is loaded first: a handle made
 * without its stored changes could later be saved as a snapshot without them.
 */
async function bring(context: AdoptContext, documentId: string, bytes: Uint8Array): Promise<DocHandle<unknown> | undefined> {
	const { repo, data } = context;
	const cached = repo.handles[documentId as DocumentId];
	const onDisk = existsSync(join(data, 'documents', documentId.slice(0, 2), documentId.slice(2)));
	let handle: DocHandle<unknown> | undefined;
	if (cached?.isReady() || (onDisk && !cached?.inState(['requesting', 'unavailable']))) {
		handle = await loadDocument(repo, documentId);
		handle?.update((doc) => A.loadIncremental(doc, bytes));
	} else {
		// New here (a handle the relay made while asking devices for it has nothing either).
		// automerge-repo 2.5.6: `import` with a document id leaves the handle loading; it has all it gets.
		handle = repo.import<unknown>(bytes, { docId: documentId as DocumentId });
		handle.doneLoading();
	}
	if (!handle) return undefined;
	await repo.flush([documentId as DocumentId]);
	return handle;
}

/** The members the documents name, without devices, once the root and its members document are here. */
function seedMembers(context: AdoptContext, neighbourhood: string, rootId: string): number {
	const root = documentOf(context.repo, rootId);
	const read = root ? readNeighbourhood(root) : undefined;
	if (!read?.ok) return 0;
	const n = read.neighbourhood;
	const members = n.docs.members ? documentOf(context.repo, documentIdOf(n.docs.members)) : undefined;
	if (!members) return 0;
	const roles = (id: string): Role[] =>
		isManager(n, id) ? ['manager'] : (['agenda', 'map'] as const).filter((module) => isEditor(n, module, id));
	return context.book.seedMembers(
		neighbourhood,
		readMembers(members, { includeLeft: true }).items.map((m) => ({ id: m.id, name: m.name, roles: roles(m.id), left: m.leftAt !== undefined }))
	);
}
