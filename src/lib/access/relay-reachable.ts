// Whether a relay answers at all, asked once and briefly: a link that names another relay may only
// move this device when its own relay is gone (the join page); otherwise it could be phishing.
import { relayHttpOrigin } from '../neighbourhood/invite.ts';

export async function relayReachable(relay: string, waitMs = 5000, fetcher: typeof fetch = fetch): Promise<boolean> {
	const origin = relayHttpOrigin(relay);
	const sameOrigin = typeof location !== 'undefined' && location.origin === origin;
	try {
		// Another origin sends no CORS headers for /healthz: an opaque answer still says it is up.
		const response = await fetcher(`${origin}/healthz`, { cache: 'no-store', mode: sameOrigin ? 'same-origin' : 'no-cors', signal: AbortSignal.timeout(waitMs) });
		return response.type === 'opaque' || response.ok;
	} catch {
		return false;
	}
}
