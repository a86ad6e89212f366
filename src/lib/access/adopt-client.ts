// The app's side of the re-seeding API (adopt-api.ts): typed calls, answers validated against the
// same definitions the relay uses; network trouble is the answer 'offline'.
import * as v from 'valibot';
import { relayHttpOrigin } from '../neighbourhood/invite.ts';
import { AdoptAnswers, AdoptRefusalSchema, type AdoptAction, type AdoptAnswer, type AdoptRefusal, type AdoptRequest } from './adopt-api.ts';

export type AdoptOutcome<A extends AdoptAction> = { ok: true; value: AdoptAnswer<A> } | { ok: false; reason: AdoptRefusal | 'offline' };

export async function callAdopt<A extends AdoptAction>(
	relay: string,
	action: A,
	body: AdoptRequest<A>,
	credential?: string,
	fetcher: typeof fetch = fetch
): Promise<AdoptOutcome<A>> {
	let response: Response;
	try {
		response = await fetcher(`${relayHttpOrigin(relay)}/api/adopt/${action}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, reason: 'offline' };
	}
	let json: unknown;
	try {
		json = await response.json();
	} catch {
		return { ok: false, reason: response.ok ? 'invalid' : 'offline' };
	}
	if (response.ok) {
		const parsed = v.safeParse(AdoptAnswers[action], json);
		return parsed.success ? { ok: true, value: parsed.output as AdoptAnswer<A> } : { ok: false, reason: 'invalid' };
	}
	const refusal = v.safeParse(AdoptRefusalSchema, json);
	return { ok: false, reason: refusal.success ? refusal.output.error : 'offline' };
}

/** What a person types as the new server's address: a web address or a host name, or the websocket address. */
export function relayFromAddress(typed: string): string | undefined {
	const text = typed.trim();
	if (!text) return undefined;
	const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
	try {
		const url = new URL(withScheme);
		if (url.protocol === 'ws:' || url.protocol === 'wss:') return url.toString();
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
		url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
		url.pathname = `${url.pathname.replace(/\/$/, '')}/sync`;
		url.search = '';
		url.hash = '';
		return url.toString();
	} catch {
		return undefined;
	}
}
