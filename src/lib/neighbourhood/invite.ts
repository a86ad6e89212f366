// Invite links: `<app origin>/join#r=<relay websocket URL>&d=<root automerge URL>&k=<member key>`.
// Everything sits in the fragment, which browsers never send to a server, so keys stay out of logs.
// `&m=<member id>` turns an invite into a link for a second device of the same member.

export interface Invite {
	relay: string;
	root: string;
	key: string;
	member?: string;
}

const ROOT = /^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/;
const KEY = /^[A-Za-z0-9_-]{16,128}$/;
const MEMBER = /^[A-Za-z0-9_-]{8,64}$/;

/** The websocket address of a relay that serves the app at `origin`. */
export function relaySocketUrl(origin: string): string {
	const url = new URL(origin);
	url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
	url.pathname = `${url.pathname.replace(/\/$/, '')}/sync`;
	url.search = '';
	url.hash = '';
	return url.toString();
}

/** The web address of a relay, from its websocket address: where its feeds and API live. */
export function relayHttpOrigin(relay: string): string {
	const url = new URL(relay);
	url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
	url.pathname = url.pathname.replace(/\/sync\/?$/, '');
	url.search = '';
	url.hash = '';
	return url.toString().replace(/\/$/, '');
}

export function inviteLink(origin: string, invite: Pick<Invite, 'relay' | 'root' | 'key'>): string {
	const base = origin.replace(/\/$/, '');
	return `${base}/join#r=${encodeURIComponent(invite.relay)}&d=${invite.root}&k=${invite.key}`;
}

export function deviceLink(origin: string, invite: Pick<Invite, 'relay' | 'root' | 'key'> & { memberId: string }): string {
	return `${inviteLink(origin, invite)}&m=${invite.memberId}`;
}

/** Reads an invite from a whole link or just its fragment; null when anything is missing or odd. */
export function parseInvite(linkOrHash: string): Invite | null {
	const hashAt = linkOrHash.indexOf('#');
	const fragment = hashAt >= 0 ? linkOrHash.slice(hashAt + 1) : linkOrHash;
	const params = new URLSearchParams(fragment);
	const relay = params.get('r');
	const root = params.get('d');
	const key = params.get('k');
	const member = params.get('m');
	if (!relay || !root || !key) return null;
	try {
		const url = new URL(relay);
		if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
	} catch {
		return null;
	}
	if (!ROOT.test(root) || !KEY.test(key)) return null;
	if (member !== null && !MEMBER.test(member)) return null;
	return member ? { relay, root, key, member } : { relay, root, key };
}
