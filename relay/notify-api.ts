// POST /api/notify/<action>: a device switches phone notifications on or off and reads what it
// chose (and, from other parts, e-mail digests and reports). Each action is one entry in a table of
// handlers, so a part adds its actions without touching the others'. Requests and answers are
// checked against src/lib/notify/api.ts; the device's credential comes as `Authorization: Bearer`
// and a wrong one counts against the caller's address, as for /api/access.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { NotifyAnswers, NotifyRequests, type DigestChoice, type NotifyAction, type NotifyAnswer } from '../src/lib/notify/api.ts';
import { refused, type AccessBook, type Holder } from './access-book.ts';
import type { Attempts } from './attempts.ts';
import type { Logger } from './log.ts';
import type { Push } from './push/push.ts';
import { readJson, bearer } from './json-request.ts';

const MAX_BODY = 16 * 1024;
const CORS = { 'access-control-allow-origin': '*' };

export type NotifyRefusal = 'invalid' | 'unknown' | 'credential' | 'removed' | 'waiting' | 'forbidden' | 'unavailable' | 'tooMany';
const STATUS: Record<NotifyRefusal, number> = {
	invalid: 400,
	unknown: 404,
	credential: 401,
	removed: 403,
	waiting: 403,
	forbidden: 403,
	unavailable: 409,
	tooMany: 429
};

type Handled<A extends NotifyAction> = NotifyAnswer<A> | { refused: NotifyRefusal };
export type NotifyHandler<A extends NotifyAction> = (request: v.InferOutput<(typeof NotifyRequests)[A]>, holder: Holder) => Handled<A> | Promise<Handled<A>>;
export interface NotifyEntry<A extends NotifyAction> {
	handle: NotifyHandler<A>;
	/** Also for members still waiting to be let in (the public key, say). */
	waitingToo?: boolean;
}
/** The actions a relay answers; the others are 404 `unknown`. */
export type NotifyActions = { [A in NotifyAction]?: NotifyEntry<A> };

export interface NotifyContext {
	book: AccessBook;
	attempts: Attempts;
	log: Logger;
	actions: NotifyActions;
}

/** What the e-mail part tells `choices` (relay without SMTP: nothing). */
export interface MailChoices {
	available(): boolean;
	digestOf(holder: Holder): DigestChoice | null;
}
const NO_MAIL: MailChoices = { available: () => false, digestOf: () => null };

/** Phone notifications: the key to subscribe with, subscribing, unsubscribing and what was chosen. */
export function pushActions(push: Push, mail: MailChoices = NO_MAIL): NotifyActions {
	return {
		key: { handle: () => ({ publicKey: push.vapid.publicKey }), waitingToo: true },
		subscribe: {
			handle: (request, holder) => {
				// A member must not make the relay post to services on its own machine or network.
				if (!push.localEndpoints && !request.subscription.endpoint.startsWith('https://')) return { refused: 'invalid' };
				push.subscriptions.set({ neighbourhood: holder.neighbourhood, member: holder.memberId, device: holder.deviceId, subscription: request.subscription, choice: request.choice });
				return {};
			}
		},
		unsubscribe: {
			handle: (_request, holder) => {
				push.subscriptions.remove(holder.deviceId);
				return {};
			},
			// Switching off must always work, also for someone not (or no longer) let in.
			waitingToo: true
		},
		choices: {
			handle: (_request, holder) => {
				const own = push.subscriptions.get(holder.deviceId);
				return { push: own && own.neighbourhood === holder.neighbourhood ? own.choice : null, digest: mail.digestOf(holder), mailAvailable: mail.available() };
			}
		}
	};
}

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store' });
	res.end(JSON.stringify(body));
}

export async function handleNotify(req: IncomingMessage, res: ServerResponse, action: string, context: NotifyContext): Promise<void> {
	const { book, attempts, log, actions } = context;
	if (req.method === 'OPTIONS') {
		res.writeHead(204, { ...CORS, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' });
		res.end();
		return;
	}
	if (req.method !== 'POST') return json(res, 405, { error: 'invalid' });
	if (!Object.hasOwn(NotifyRequests, action) || !Object.hasOwn(actions, action)) return json(res, 404, { error: 'unknown' });
	const name = action as NotifyAction;
	const entry = actions[name] as NotifyEntry<NotifyAction>;
	const address = attempts.addressOf(req);
	if (attempts.blocked(address)) return json(res, 429, { error: 'tooMany' });
	const refuse = (refusal: NotifyRefusal) => {
		if (refusal === 'credential') attempts.failed(address);
		log.info({ action: name, refusal }, 'notify request refused');
		return json(res, STATUS[refusal], { error: refusal });
	};
	const parsed = v.safeParse(NotifyRequests[name], await readJson(req, MAX_BODY));
	if (!parsed.success) return refuse('invalid');
	book.reloadIfChanged();
	const holder = book.holder(bearer(req) ?? '');
	if (refused(holder)) return refuse(holder.refused === 'removed' ? 'removed' : 'credential');
	book.seen(holder.deviceId);
	if (holder.status !== 'active' && !entry.waitingToo) return refuse('waiting');
	const answer = await entry.handle(parsed.output as never, holder);
	if (typeof answer === 'object' && answer !== null && 'refused' in answer) return refuse(answer.refused);
	// An answer outside the contract is a fault here, never something to send the app.
	const checked = v.safeParse(NotifyAnswers[name], answer);
	if (!checked.success) {
		log.error({ action: name }, 'notify answer does not match the contract');
		return json(res, 500, { error: 'failed' });
	}
	return json(res, 200, checked.output);
}
