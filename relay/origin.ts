// Where links point. Invite links, the neighbourhood's relay list (kept in its root document for
// good) and feed addresses are built from NOABER_PUBLIC_URL. Without it, only a Host header the
// operator allowed may be used: otherwise anyone who can reach the relay under another name (or
// send a made-up Host) would decide where every device of a new neighbourhood connects.
import type { IncomingMessage } from 'node:http';

/** The operator's configuration was unusable: the message names the variable and a good example. */
export class ConfigError extends Error {}

/** A request's Host is not one the relay may put in links. */
export class HostNotAllowed extends Error {
	constructor(readonly host: string) {
		super(
			'This relay does not know its public address. Set NOABER_PUBLIC_URL to the address residents use ' +
				'(e.g. NOABER_PUBLIC_URL=https://buurt.example.nl), or add this host to NOABER_ALLOWED_HOSTS.'
		);
	}
}

const HOST_PORT = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** `http(s)://host[:port]`, without path, query, fragment or credentials; a trailing / is dropped. */
export function parsePublicUrl(value: string | undefined): string | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const fail = () =>
		new ConfigError(`NOABER_PUBLIC_URL must be an http:// or https:// address without a path, like https://buurt.example.nl (got "${value}")`);
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw fail();
	}
	const bare = (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare || !HOST_PORT.test(url.host)) throw fail();
	return url.origin;
}

/** NOABER_ALLOWED_HOSTS: `host[:port]` separated by commas, compared as a Host header arrives. */
export function parseAllowedHosts(value: string | undefined): string[] {
	const hosts = (value ?? '')
		.split(',')
		.map((h) => h.trim().toLowerCase())
		.filter(Boolean);
	const wrong = hosts.find((h) => !HOST_PORT.test(h));
	if (wrong) {
		throw new ConfigError(`NOABER_ALLOWED_HOSTS must list host names with an optional port, separated by commas, like buurthuis.local:3000,192.168.1.20:3000 (got "${wrong}")`);
	}
	return hosts;
}

/** This machine's own names for the relay: links to them only work here, so they are safe. */
export function localHosts(port: number): string[] {
	const names = ['localhost', '127.0.0.1', '[::1]'];
	return [...names.map((n) => `${n}:${port}`), ...(port === 80 ? names : [])];
}

/**
 * The origin to build links with for a request: NOABER_PUBLIC_URL when set; otherwise
 * `http://<Host>` when the Host is local or allowed, and HostNotAllowed when it is not.
 */
export function linkOrigin(
	config: { publicUrl?: string; allowedHosts?: string[] },
	port: () => number
): (req: IncomingMessage) => string {
	return (req) => {
		if (config.publicUrl) return config.publicUrl;
		const host = req.headers.host?.toLowerCase();
		if (host === undefined) return `http://localhost:${port()}`;
		if (HOST_PORT.test(host) && [...localHosts(port()), ...(config.allowedHosts ?? [])].includes(host)) return `http://${host}`;
		throw new HostNotAllowed(host);
	};
}
