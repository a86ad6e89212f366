// Links into a neighbourhood: `<app origin>/join#r=<relay websocket URL>&d=<root automerge URL>`
// and then one of `&t=<ticket>` (an invitation), `&c=<code>` (another device of mine, made on the
// first; with `&s=<secret>` it also opens the member's key ring) or `&k=<key>` (the old shared member
// key, still on older flyers). With none of these the
// link asks to join and waits for approval. Everything sits in the fragment, which browsers never
// send to a server, so secrets stay out of logs.
import { parseSecret } from '../access/secret.ts';

export interface Invite {
	relay: string;
	root: string;
	ticket?: string;
	code?: string;
	/** With a code: the secret the member's key ring was sealed under for this device. */
	ringSecret?: string;
	key?: string;
}

const ROOT = /^automerge:[1-9A-HJ-NP-Za-km-z]{20,60}$/;
const KEY = /^[A-Za-z0-9_-]{16,128}$/;
const RING_SECRET = /^[A-Za-z0-9_-]{43}$/;

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

export function inviteLink(origin: string, invite: Invite): string {
	const base = origin.replace(/\/$/, '');
	const ring = invite.code && invite.ringSecret ? `&s=${invite.ringSecret}` : '';
	const secret = invite.ticket ? `&t=${invite.ticket}` : invite.code ? `&c=${invite.code}${ring}` : invite.key ? `&k=${invite.key}` : '';
	return `${base}/join#r=${encodeURIComponent(invite.relay)}&d=${invite.root}${secret}`;
}

/** Reads an invite from a whole link or just its fragment; null when anything is missing or odd. */
export function parseInvite(linkOrHash: string): Invite | null {
	const hashAt = linkOrHash.indexOf('#');
	const fragment = hashAt >= 0 ? linkOrHash.slice(hashAt + 1) : linkOrHash;
	const params = new URLSearchParams(fragment);
	const relay = params.get('r');
	const root = params.get('d');
	if (!relay || !root) return null;
	try {
		const url = new URL(relay);
		if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
	} catch {
		return null;
	}
	if (!ROOT.test(root)) return null;
	const ticket = params.get('t');
	const code = params.get('c');
	const key = params.get('k');
	if ([ticket, code, key].filter((s) => s !== null).length > 1) return null;
	if (ticket !== null) return parseSecret(ticket) ? { relay, root, ticket } : null;
	const ringSecret = params.get('s');
	if (code !== null) {
		if (!parseSecret(code)) return null;
		return ringSecret !== null && RING_SECRET.test(ringSecret) ? { relay, root, code, ringSecret } : { relay, root, code };
	}
	if (key !== null) return KEY.test(key) ? { relay, root, key } : null;
	return { relay, root };
}
