import { describe, expect, it } from 'vitest';
import { requestSetup, type SetupRequest } from './setup-request.ts';
import { emptyDetails } from './schema.ts';

const request: SetupRequest = {
	token: 'token',
	details: emptyDetails('Lindenbuurt'),
	manager: {
		id: 'manager-0001',
		profile: { name: 'Fatima', area: '', phone: '', phoneVisibility: 'nobody', helpWith: [], helpNote: '' }
	}
};

const answer = (status: number, body: unknown): typeof fetch =>
	(async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

describe('asking the relay to set up a neighbourhood', () => {
	it('returns this device’s credential on success, and refuses an answer without one', async () => {
		const credential = 'tK7mPq2xLs9dWe4r.Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8';
		const result = await requestSetup(request, answer(201, { credential, relay: 'ws://x/sync', root: 'automerge:abc' }));
		expect(result).toEqual({ ok: true, credential, relay: 'ws://x/sync', root: 'automerge:abc' });
		expect(await requestSetup(request, answer(201, { relay: 'ws://x/sync', root: 'automerge:abc' }))).toEqual({ ok: false, reason: 'failed' });
	});

	it('tells a used link, invalid fields and a failure apart', async () => {
		expect(await requestSetup(request, answer(403, { error: 'setup_used' }))).toEqual({ ok: false, reason: 'used' });
		expect(await requestSetup(request, answer(400, { error: 'invalid', errors: { name: 'required' } }))).toEqual({
			ok: false,
			reason: 'invalid',
			errors: { name: 'required' }
		});
		expect(await requestSetup(request, answer(400, { error: 'host', message: 'Set NOABER_PUBLIC_URL' }))).toEqual({ ok: false, reason: 'host' });
		expect(await requestSetup(request, answer(500, 'oops'))).toEqual({ ok: false, reason: 'failed' });
		const offline = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof fetch;
		expect(await requestSetup(request, offline)).toEqual({ ok: false, reason: 'failed' });
	});
});
