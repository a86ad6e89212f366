// The address printed on paper: `<app origin>/openbaar#r=<relay websocket URL>&d=<root automerge URL>`.
// It opens the neighbourhood's public page (what the organisers marked public), never the
// neighbourhood itself: no key travels with it, so a poster on a lamp post gives no access.
// "Meedoen met de buurt" on that page is the same pair on /join, which asks to join and waits
// for a manager's approval.

export interface PublicLink {
	relay: string;
	root: string;
}

const ROOT = /^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/;

const fragment = (link: PublicLink) => `r=${encodeURIComponent(link.relay)}&d=${link.root}`;

export function publicPageLink(origin: string, link: PublicLink): string {
	return `${origin.replace(/\/$/, '')}/openbaar#${fragment(link)}`;
}

/** "Meedoen met de buurt": a request to join without a ticket, which a manager approves. */
export function joinRequestLink(origin: string, link: PublicLink): string {
	return `${origin.replace(/\/$/, '')}/join#${fragment(link)}`;
}

/** Reads the relay and root from a whole link or just its fragment; null when anything is odd. */
export function parsePublicLink(linkOrHash: string): PublicLink | null {
	const hashAt = linkOrHash.indexOf('#');
	const params = new URLSearchParams(hashAt >= 0 ? linkOrHash.slice(hashAt + 1) : linkOrHash);
	const relay = params.get('r');
	const root = params.get('d');
	if (!relay || !root || !ROOT.test(root)) return null;
	try {
		const url = new URL(relay);
		if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
	} catch {
		return null;
	}
	return { relay, root };
}
