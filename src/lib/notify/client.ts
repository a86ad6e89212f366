// The app's side of the relay's notify API: one typed call per action, answers validated against
// the same definitions the relay uses (api.ts). Network trouble is an answer too ('offline'), so
// the profile can say something calm instead of throwing.
import * as v from 'valibot';
import { relayHttpOrigin } from '../neighbourhood/invite.ts';
import { NotifyAnswers, NotifyRequests, type NotifyAction, type NotifyAnswer, type NotifyRequest } from './api.ts';

/**
 * Why a call gave nothing usable: no network ('offline'), an answer that is not the contract's
 * ('invalid'), a relay that has no notifications (an older version: 'unavailable'), or a refusal
 * for this device ('refused': removed, unknown credential, too many tries).
 */
export type NotifyProblem = 'offline' | 'invalid' | 'unavailable' | 'refused';
export type NotifyOutcome<A extends NotifyAction> = { ok: true; value: NotifyAnswer<A> } | { ok: false; reason: NotifyProblem };

/** Where to reach a neighbourhood's relay and how this device proves who it is. */
export interface NotifyTarget {
	relay: string;
	credential: string;
}

export async function callNotify<A extends NotifyAction>(
	target: NotifyTarget,
	action: A,
	body: NotifyRequest<A>,
	fetcher: typeof fetch = fetch
): Promise<NotifyOutcome<A>> {
	// What we send is checked too: a bad subscription is our fault, and the relay would refuse it.
	if (!v.safeParse(NotifyRequests[action], body).success) return { ok: false, reason: 'invalid' };
	let response: Response;
	try {
		response = await fetcher(`${relayHttpOrigin(target.relay)}/api/notify/${action}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${target.credential}` },
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, reason: 'offline' };
	}
	if (response.status === 404 || response.status === 501) return { ok: false, reason: 'unavailable' };
	if (response.status >= 500) return { ok: false, reason: 'offline' };
	if (!response.ok) return { ok: false, reason: 'refused' };
	let json: unknown;
	try {
		json = await response.json();
	} catch {
		return { ok: false, reason: 'invalid' };
	}
	const parsed = v.safeParse(NotifyAnswers[action], json);
	return parsed.success ? { ok: true, value: parsed.output as NotifyAnswer<A> } : { ok: false, reason: 'invalid' };
}

/** The relay's public VAPID key, for PushManager.subscribe. */
export const pushKey = (target: NotifyTarget, fetcher?: typeof fetch) => callNotify(target, 'key', {}, fetcher);

/** Hands the relay this device's subscription and choices; replaces what it had for this device. */
export const subscribePush = (target: NotifyTarget, body: NotifyRequest<'subscribe'>, fetcher?: typeof fetch) =>
	callNotify(target, 'subscribe', body, fetcher);

/** The relay forgets this device's subscription at once. */
export const unsubscribePush = (target: NotifyTarget, fetcher?: typeof fetch) => callNotify(target, 'unsubscribe', {}, fetcher);

/** What the relay holds for this device and member, for the profile. */
export const notifyChoices = (target: NotifyTarget, fetcher?: typeof fetch) => callNotify(target, 'choices', {}, fetcher);
