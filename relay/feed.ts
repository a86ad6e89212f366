// The agenda as a subscription feed: calendar apps (phone, Thunderbird, Outlook) fetch
// /ical/<secret>.ics now and then. The relay reads the agenda documents it stores through the
// same domain modules the app uses, and writes them with the app's iCalendar writer. The secret
// is per neighbourhood and can be replaced (`noaber feed <name> --rotate`) to revoke it.
import type { AutomergeUrl, DocHandle, Repo } from '@automerge/automerge-repo/slim';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toICalendar } from '../src/lib/agenda/ics.ts';
import { readEvents, type AgendaEvent } from '../src/lib/agenda/view.ts';
import { addDays, wallAt } from '../src/lib/agenda/time.ts';
import type { Neighbourhood } from '../src/lib/neighbourhood/schema.ts';
import { readNeighbourhood } from '../src/lib/neighbourhood/view.ts';
import type { Logger } from './log.ts';
import { HostNotAllowed } from './origin.ts';
import type { NeighbourhoodRecord, Registry } from './registry.ts';

export const FEED_PATH = /^\/ical\/([A-Za-z0-9_-]{24,64})\.ics$/;

export const feedUrl = (origin: string, token: string): string => `${origin}/ical/${token}.ics`;

async function ready<T>(repo: Repo, url: string, ms: number): Promise<DocHandle<T> | undefined> {
	try {
		const handle = await Promise.race([
			repo.find<T>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] }),
			new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))
		]);
		return handle?.isReady() ? handle : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Every event of the neighbourhood, leaving out one-off events that ended over a year ago, and the
 * root as read (the public page needs its settings and helpdesk; absent when it cannot be read).
 */
export async function agendaEvents(
	repo: Repo,
	registry: Pick<Registry, 'ownerOf'>,
	record: NeighbourhoodRecord,
	now = new Date()
): Promise<{ name: string; events: AgendaEvent[]; neighbourhood?: Neighbourhood }> {
	const root = await ready<unknown>(repo, record.root, 3000);
	const read = root ? readNeighbourhood(root.doc()) : undefined;
	if (!read?.ok) return { name: record.name, events: [] };
	// Any member can list any URL in the root; only documents this neighbourhood brought to the
	// relay are its own, so a listed URL of another neighbourhood's agenda is not published here.
	const own = read.neighbourhood.docs.agenda.filter(({ url }) => registry.ownerOf(url) === record.id);
	const sources = await Promise.all(
		own.map(async ({ url }) => {
			const handle = await ready<unknown>(repo, url, 3000);
			return handle ? [{ url, doc: handle.doc() }] : [];
		})
	);
	const cutoff = addDays(wallAt(now, 'Europe/Amsterdam'), -365);
	const events = readEvents(sources.flat()).items.filter((e) => e.rrule || e.end >= cutoff);
	return { name: read.neighbourhood.name || record.name, events, neighbourhood: read.neighbourhood };
}

export interface FeedContext {
	repo: Repo;
	registry: Registry;
	log: Logger;
	origin: (req: IncomingMessage) => string;
	/** The neighbourhood a device credential (or the old shared key) opens now. */
	opens: (key: string) => string | undefined;
}

/**
 * `inline; filename="Wijk t Hofje.ics"; filename*=UTF-8''…`: header values must be plain ASCII, so
 * accented letters lose their accents in the first form and keep them in the second (RFC 6266).
 */
export function contentDisposition(name: string): string {
	const readable = name.replace(/[^\p{L}\p{N} _-]/gu, '').replace(/\s+/g, ' ').trim() || 'agenda';
	const ascii = readable.normalize('NFKD').replace(/[^A-Za-z0-9 _-]/g, '').trim() || 'agenda';
	return `inline; filename="${ascii}.ics"; filename*=UTF-8''${encodeURIComponent(`${readable}.ics`)}`;
}

/** GET/HEAD /ical/<secret>.ics */
export async function handleFeed(req: IncomingMessage, res: ServerResponse, token: string, context: FeedContext): Promise<void> {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { allow: 'GET, HEAD' });
		res.end();
		return;
	}
	// Read the files first, not only on a miss: an address the operator has just replaced must stop
	// working before the next poll.
	context.registry.reloadIfChanged();
	const record = context.registry.neighbourhoodForFeed(token);
	if (!record) {
		res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
		res.end('Deze agenda bestaat niet (meer). / This calendar does not exist (any more).\n');
		return;
	}
	const { name, events } = await agendaEvents(context.repo, context.registry, record);
	const body = toICalendar(events, { name });
	res.writeHead(200, {
		'content-type': 'text/calendar; charset=utf-8',
		'cache-control': 'no-cache',
		'content-disposition': contentDisposition(name),
		'content-length': Buffer.byteLength(body)
	});
	res.end(req.method === 'HEAD' ? undefined : body);
	context.log.debug({ neighbourhood: record.id, events: events.length }, 'feed served');
}

/** GET /api/feed with the device's credential as a bearer token: the address to subscribe to. */
export function handleFeedAddress(req: IncomingMessage, res: ServerResponse, context: FeedContext): void {
	// The app may be served from another address than the neighbourhood's relay (a member moved the
	// neighbourhood, or runs the app elsewhere). The credential in the header is the only one,
	// never a cookie, so any page may ask.
	const cors = { 'access-control-allow-origin': '*' };
	if (req.method === 'OPTIONS') {
		res.writeHead(204, {
			...cors,
			'access-control-allow-methods': 'GET',
			'access-control-allow-headers': 'authorization',
			'access-control-max-age': '600'
		});
		res.end();
		return;
	}
	if (req.method !== 'GET') {
		res.writeHead(405, { ...cors, allow: 'GET, OPTIONS' });
		res.end();
		return;
	}
	const header = req.headers.authorization ?? '';
	const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
	const neighbourhood = key ? context.opens(key) : undefined;
	if (!neighbourhood) {
		res.writeHead(401, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
		res.end(JSON.stringify({ error: 'invalid key' }));
		return;
	}
	let origin: string;
	try {
		origin = context.origin(req);
	} catch (error) {
		if (!(error instanceof HostNotAllowed)) throw error;
		context.log.warn({ neighbourhood, host: error.host.slice(0, 100) }, `feed address refused: ${error.message}`);
		res.writeHead(400, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
		res.end(JSON.stringify({ error: 'host', message: error.message }));
		return;
	}
	const token = context.registry.feedToken(neighbourhood);
	res.writeHead(200, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify({ ical: feedUrl(origin, token) }));
}
