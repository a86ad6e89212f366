// Which address a request counts against (wrong guesses, attempts.ts). Behind a reverse proxy
// every request comes from the proxy, so one person's wrong guesses would lock everyone out at
// once. With NOABER_TRUSTED_PROXIES, a request that comes from one of those addresses is counted
// against the address its proxy put in X-Forwarded-For: read from the right, past every trusted
// proxy of a chain. What a client wrote there itself stays to the left of what the proxies added,
// so a made-up address is never what counts.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, type Socket } from 'node:net';

export const TRUSTED_PROXIES_VARIABLE = 'NOABER_TRUSTED_PROXIES';

/** '::ffff:127.0.0.1' (an IPv4 client on a dual-stack socket) is 127.0.0.1. */
function plain(address: string): string {
	const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : '';
	return isIP(mapped) === 4 ? mapped : address;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
	const family = isIP(address);
	return family === 4 ? 'ipv4' : family === 6 ? 'ipv6' : undefined;
}

/** "127.0.0.1,::1,172.16.0.0/12": addresses and ranges; empty or unset trusts no proxy. */
export function parseTrustedProxies(given: string | undefined): BlockList | undefined {
	if (given === undefined || given.trim() === '') return undefined;
	const list = new BlockList();
	for (const entry of given.split(',').map((part) => part.trim())) {
		const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(entry);
		const address = match ? plain(match[1]!) : '';
		const family = familyOf(address);
		const bits = match?.[2] === undefined ? (family === 'ipv6' ? 128 : 32) : Number(match[2]);
		if (!family || bits > (family === 'ipv6' ? 128 : 32)) {
			throw new Error(`${TRUSTED_PROXIES_VARIABLE} must be the addresses of your reverse proxies, or ranges, separated by commas (like "127.0.0.1,::1" or "172.16.0.0/12"), not "${given}"`);
		}
		list.addSubnet(address, bits, family);
	}
	return list;
}

function trusts(list: BlockList, address: string): boolean {
	const family = familyOf(address);
	return family !== undefined && list.check(address, family);
}

/**
 * The socket's remote address, without the copy Node keeps on the socket once it is read (an
 * object with the address, port and family, and one more property on the socket): kept for as long
 * as the connection stays, about 0.2 KB for each connected device (bench/heap-diff.ts). Nothing of
 * the relay reads it again: the door keeps the address until it lets a socket in (main.ts).
 */
function peerAddress(socket: Socket): string | undefined {
	const cached = socket as Socket & { _peername?: unknown };
	const hadCopy = cached._peername !== undefined;
	const address = socket.remoteAddress;
	if (!hadCopy) delete cached._peername;
	return address;
}

export function clientAddress(req: IncomingMessage, trusted: BlockList | undefined): string {
	const peer = plain(peerAddress(req.socket) ?? 'unknown');
	if (!trusted || !trusts(trusted, peer)) return peer;
	const header = req.headers['x-forwarded-for'];
	const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
		.split(',')
		.map((hop) => plain(hop.trim()))
		.filter(Boolean);
	for (let i = hops.length - 1; i >= 0; i -= 1) {
		const hop = hops[i]!;
		// Not an address: the proxy passed on something it should not have; count it against the proxy.
		if (!familyOf(hop)) return peer;
		if (!trusts(trusted, hop)) return hop;
	}
	// Every hop is a trusted proxy (a health check from the proxy itself, say).
	return hops[0] ?? peer;
}
