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
	it('returns the invite on success', async () => {
		const result = await requestSetup(request, answer(201, { invite: 'http://x/join#r=a&d=b&k=c', relay: 'ws://x/sync', root: 'automerge:abc' }));
		expect(result).toEqual({ ok: true, invite: 'http://x/join#r=a&d=b&k=c', relay: 'ws://x/sync', root: 'automerge:abc' });
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
