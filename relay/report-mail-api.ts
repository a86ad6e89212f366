// POST /api/notify/<action> for reports and the e-mail digest (the push actions are
// notify-api.ts's), and the digest's unsubscribe link. Bodies are checked against the shared
// definitions in src/lib/notify/api.ts; the device's credential comes in the Authorization header
// and names the member and roles from the relay's access book.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Repo } from '@automerge/automerge-repo/slim';
import * as v from 'valibot';
import type { NewsItem } from '../src/lib/news/item.ts';
import { NotifyRequests, type DigestChoice } from '../src/lib/notify/api.ts';
import { refused, type AccessBook, type Holder } from './access-book.ts';
import type { Attempts } from './attempts.ts';
import type { Logger } from './log.ts';
import { mailChoices, handleDigestAction } from './mail/digest-actions.ts';
import type { MailConfig } from './mail/config.ts';
import { MailDigests, type NewsOf } from './mail/digests.ts';
import { relayNewsOf } from './mail/relay-news.ts';
import { handleUnsubscribe } from './mail/unsubscribe-page.ts';
import type { Registry } from './registry.ts';
import { handleReportAction, type ActionAnswer, type ReportAction, type ReportContext } from './report-actions.ts';
import { ReportBook } from './reports.ts';
import { readJson, bearer } from './json-request.ts';

const MAX_BODY = 16 * 1024;
export const REPORT_MAIL_PATH = /^\/api\/notify\/(report|reports|handled|digest)$/;
const CORS = { 'access-control-allow-origin': '*' };
/** As /api/access and the push actions answer the same refusals. */
const STATUS: Record<string, number> = {
	invalid: 400,
	credential: 401,
	removed: 403,
	waiting: 403,
	forbidden: 403,
	unknown: 404,
	unavailable: 409,
	tooMany: 429
};

export type ReportMailAction = ReportAction | 'digest';
/** One action: the checked request, who holds the credential, and where they use the app. */
export type ReportMailHandler = (request: unknown, holder: Holder, origin: string) => ActionAnswer | Promise<ActionAnswer>;

/** The actions of this part, as a table to fold into /api/notify's (notify-api.ts). */
export function reportMailActions(context: ReportContext & { digests: MailDigests }): Record<ReportMailAction, ReportMailHandler> {
	const report = (action: ReportAction): ReportMailHandler => (request, holder) => handleReportAction(action, request, holder, context);
	return {
		report: report('report'),
		reports: report('reports'),
		handled: report('handled'),
		// Without a usable origin (a Host the relay may not put in links) the mail could link nowhere.
		digest: (request, holder, origin) => (origin ? handleDigestAction(request, holder, context.digests, origin) : { refused: 'unavailable' })
	};
}

export interface ReportMailOptions {
	data: string;
	repo: Repo;
	registry: Registry;
	book: AccessBook;
	attempts: Attempts;
	log: Logger;
	mail: MailConfig | undefined;
	/** Where links point for this request (origin.ts); the digest's links use it. */
	originOf: (req: IncomingMessage) => string;
	/** A new report: the managers' news, once per report. */
	reported?: (neighbourhood: string, item: NewsItem) => void;
	/** Each member's news for the digest; by default read from the neighbourhood's documents (mail/relay-news.ts). */
	newsOf?: NewsOf;
	now?: () => Date;
}

export interface ReportMail {
	reports: ReportBook;
	digests: MailDigests;
	/** The e-mail half of /api/notify/choices (notify-api.ts MailChoices). */
	choices: { available(): boolean; digestOf(holder: Holder): DigestChoice | null };
	/** True when it answered the request. */
	handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
	close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

export function reportMailApi(options: ReportMailOptions): ReportMail {
	const { registry, book, attempts, log } = options;
	const reports = new ReportBook(options.data, options.now ? () => options.now!().getTime() : undefined);
	const digests = new MailDigests({
		data: options.data,
		config: options.mail,
		registry,
		book,
		reports,
		log,
		newsOf: options.newsOf ?? relayNewsOf(options.repo, registry, book),
		now: options.now
	});
	digests.start();

	const actions = reportMailActions({ reports, digests, registry, log, reported: options.reported });

	async function act(req: IncomingMessage, action: string): Promise<{ status: number; body: unknown }> {
		const refusal = (error: string) => ({ status: STATUS[error] ?? 400, body: { error } });
		const address = attempts.addressOf(req);
		if (attempts.blocked(address)) return refusal('tooMany');
		const parsed = v.safeParse(NotifyRequests[action as keyof typeof NotifyRequests], await readJson(req, MAX_BODY));
		if (!parsed.success) return refusal('invalid');
		book.reloadIfChanged();
		const found = book.holder(bearer(req) ?? '');
		if (refused(found)) {
			if (found.refused !== 'removed') attempts.failed(address);
			return refusal(found.refused === 'removed' ? 'removed' : 'credential');
		}
		const holder: Holder = found;
		book.seen(holder.deviceId);
		if (holder.status !== 'active') return refusal('waiting');
		let origin: string;
		try {
			origin = options.originOf(req);
		} catch {
			origin = '';
		}
		const answer = await actions[action as ReportMailAction](parsed.output, holder, origin);
		return 'refused' in answer ? refusal(answer.refused as string) : { status: 200, body: answer };
	}

	return {
		reports,
		digests,
		choices: {
			available: () => digests.available,
			digestOf: (holder) => mailChoices(holder, digests).digest
		},
		handle(req, res, path) {
			if (handleUnsubscribe(req, res, path, { digests, registry })) return true;
			const action = REPORT_MAIL_PATH.exec(path)?.[1];
			if (!action) return false;
			if (req.method === 'OPTIONS') {
				res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
				res.end();
				return true;
			}
			if (req.method !== 'POST') {
				json(res, 405, { error: 'invalid' });
				return true;
			}
			act(req, action).then(
				(answer) => json(res, answer.status, answer.body),
				(error: unknown) => {
					log.error({ err: error, action }, 'notify request failed');
					if (!res.headersSent) json(res, 500, { error: 'failed' });
					else res.end();
				}
			);
			return true;
		},
		close: () => digests.close()
	};
}
