// The app's side of the relay's notify API for reports and the e-mail digest: one typed call per
// action, answers checked against the same definitions the relay uses. Network trouble is an
// answer too ('offline'), so pages can say something calm instead of throwing.
import * as v from 'valibot';
import { relayHttpOrigin } from '../neighbourhood/invite.ts';
import { NotifyAnswers, type NotifyAction, type NotifyAnswer, type NotifyRequest } from './api.ts';

export type NotifyOutcome<A extends NotifyAction> = { ok: true; value: NotifyAnswer<A> } | { ok: false; reason: string };

export async function callNotify<A extends NotifyAction>(
	relay: string,
	action: A,
	body: NotifyRequest<A>,
	credential: string,
	fetcher: typeof fetch = fetch
): Promise<NotifyOutcome<A>> {
	let response: Response;
	try {
		response = await fetcher(`${relayHttpOrigin(relay)}/api/notify/${action}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, reason: 'offline' };
	}
	let json: unknown;
	try {
		json = await response.json();
	} catch {
		return { ok: false, reason: 'offline' };
	}
	if (response.ok) {
		const parsed = v.safeParse(NotifyAnswers[action], json);
		return parsed.success ? { ok: true, value: parsed.output as NotifyAnswer<A> } : { ok: false, reason: 'invalid' };
	}
	const error = (json as { error?: unknown } | null)?.error;
	return { ok: false, reason: typeof error === 'string' ? error : 'offline' };
}
