// The browser side of the relay's one-time setup: the relay creates the documents so that the
// first neighbourhood exists on the server even before this device syncs, and gives this device,
// the first manager's, its own credential.
import * as v from 'valibot';
import { SecretSchema } from '../access/secret.ts';
import type { ProfileInput } from '../members/schema.ts';
import type { DetailsInput } from './schema.ts';

export interface SetupRequest {
	token: string;
	details: DetailsInput;
	manager: { id: string; profile: ProfileInput };
	label?: string;
}

const Created = v.object({
	credential: SecretSchema,
	relay: v.pipe(v.string(), v.regex(/^wss?:\/\//)),
	root: v.pipe(v.string(), v.regex(/^automerge:/))
});

export type SetupResult =
	| { ok: true; credential: string; relay: string; root: string }
	| { ok: false; reason: 'used' | 'failed' | 'host' }
	| { ok: false; reason: 'invalid'; errors: Record<string, string> };

export async function requestSetup(request: SetupRequest, fetcher: typeof fetch = fetch): Promise<SetupResult> {
	let response: Response;
	try {
		response = await fetcher('/api/setup', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(request)
		});
	} catch {
		return { ok: false, reason: 'failed' };
	}
	const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
	const created = v.safeParse(Created, body);
	if (response.status === 201) return created.success ? { ok: true, ...created.output } : { ok: false, reason: 'failed' };
	if (response.status === 403) return { ok: false, reason: 'used' };
	// The relay does not know its public address: only its operator can fix that.
	if (response.status === 400 && body.error === 'host') return { ok: false, reason: 'host' };
	if (response.status === 400 && typeof body.errors === 'object' && body.errors !== null) {
		return { ok: false, reason: 'invalid', errors: body.errors as Record<string, string> };
	}
	return { ok: false, reason: 'failed' };
}
