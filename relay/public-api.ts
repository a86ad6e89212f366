// GET /api/public?d=<root>: the neighbourhood's public page, for anyone. The QR code on the
// buurtblad and on posters leads there, so it answers without any key, and says only what the
// organisers chose to show (see src/lib/neighbourhood/public-page.ts). It reads what this relay
// holds, through the same path as the agenda feed; a root it does not host is unknown, and so is
// one whose managers switched the page off (one answer for both: nothing to learn from trying).
import type { Repo } from '@automerge/automerge-repo/slim';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { publicPageOf } from '../src/lib/neighbourhood/public-page.ts';
import { agendaEvents } from './feed.ts';
import type { Logger } from './log.ts';
import type { NeighbourhoodRecord, Registry } from './registry.ts';
import { documentIdOf } from '../src/lib/automerge/document-id.ts';

export const PUBLIC_PATH = '/api/public';

/** Exactly one parameter: the root's Automerge URL or bare document id. */
const Query = v.strictObject({
	d: v.pipe(v.string(), v.regex(/^(automerge:)?[1-9A-HJ-NP-Za-km-z]{20,60}$/))
});

export interface PublicContext {
	repo: Repo;
	registry: Pick<Registry, 'ownerOf' | 'find' | 'reloadIfChanged'>;
	log: Logger;
	now?: () => Date;
}

// Public data and no credentials, so any page may read it (the app may be served elsewhere).
const CORS = { 'access-control-allow-origin': '*' };

function answer(res: ServerResponse, status: number, body: unknown, cache: string, head = false): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { ...CORS, 'content-type': 'application/json; charset=utf-8', 'cache-control': cache, 'content-length': Buffer.byteLength(text) });
	res.end(head ? undefined : text);
}

function queryOf(url: string): v.InferOutput<typeof Query> | undefined {
	const params = new URL(url, 'http://relay').searchParams;
	const keys = [...params.keys()];
	// `?d=a&d=b` would otherwise be read as one of them.
	if (new Set(keys).size !== keys.length) return undefined;
	const parsed = v.safeParse(Query, Object.fromEntries(params));
	return parsed.success ? parsed.output : undefined;
}

/** The neighbourhood whose root this is; not one that merely stores a document with that id. */
function hostOf(registry: PublicContext['registry'], documentId: string): NeighbourhoodRecord | undefined {
	const owner = registry.ownerOf(documentId);
	const record = owner ? registry.find(owner) : undefined;
	return record?.id === owner && record?.root === `automerge:${documentId}` ? record : undefined;
}

export async function handlePublic(req: IncomingMessage, res: ServerResponse, context: PublicContext): Promise<void> {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { ...CORS, allow: 'GET, HEAD' });
		res.end();
		return;
	}
	const head = req.method === 'HEAD';
	const query = queryOf(req.url ?? '/');
	if (!query) {
		answer(res, 400, { error: 'query', message: 'Expected ?d=<automerge URL of a neighbourhood>' }, 'no-store', head);
		return;
	}
	const documentId = documentIdOf(query.d);
	let record = hostOf(context.registry, documentId);
	// A neighbourhood created from the shell a moment ago may not have been polled yet.
	if (!record && context.registry.reloadIfChanged()) record = hostOf(context.registry, documentId);
	const now = context.now?.() ?? new Date();
	const read = record ? await agendaEvents(context.repo, context.registry, record, now) : undefined;
	const page = read?.neighbourhood ? publicPageOf(read.neighbourhood, read.events, now) : undefined;
	if (!record || !page) {
		// Short: a page switched back on shows again within the minute.
		answer(res, 404, { error: 'unavailable' }, 'public, max-age=60', head);
		return;
	}
	answer(res, 200, page, 'public, max-age=60', head);
	context.log.debug({ neighbourhood: record.id, activities: page.activities.length }, 'public page served');
}
