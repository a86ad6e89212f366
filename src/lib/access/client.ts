// The app's side of the relay's access API: one typed call per action, answers validated against
// the same definitions the relay uses. Network trouble is an answer too ('offline'), so pages can
// say something calm instead of throwing.
import * as v from 'valibot';
import { relayHttpOrigin } from '../neighbourhood/invite.ts';
import { alternativesTo } from './alternatives.ts';
import { Answers, RefusalSchema, type Action, type Answer, type Refusal, type Request } from './api.ts';

export type Outcome<A extends Action> = { ok: true; value: Answer<A> } | { ok: false; reason: Refusal | 'offline' };

export async function callAccess<A extends Action>(
	relay: string,
	action: A,
	body: Request<A>,
	credential?: string,
	fetcher: typeof fetch = fetch
): Promise<Outcome<A>> {
	let response: Response | undefined;
	// The device's own relay first; when it cannot be reached at all, the neighbourhood's other
	// relays (alternatives.ts). Only a request that never got an answer goes elsewhere.
	for (const at of [relay, ...alternativesTo(relay)]) {
		try {
			response = await fetcher(`${relayHttpOrigin(at)}/api/access/${action}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
				body: JSON.stringify(body)
			});
			break;
		} catch {
			// Down or unreachable: try the next one.
		}
	}
	if (!response) return { ok: false, reason: 'offline' };
	let json: unknown;
	try {
		json = await response.json();
	} catch {
		return { ok: false, reason: response.ok ? 'invalid' : 'offline' };
	}
	if (response.ok) {
		const parsed = v.safeParse(Answers[action], json);
		return parsed.success ? { ok: true, value: parsed.output as Answer<A> } : { ok: false, reason: 'invalid' };
	}
	const refusal = v.safeParse(RefusalSchema, json);
	return { ok: false, reason: refusal.success ? refusal.output.error : 'offline' };
}
