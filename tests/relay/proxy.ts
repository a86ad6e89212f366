// A reverse proxy that sends each request, websockets included, to the relay for its Host header,
// as Caddy's or nginx's site blocks do for a relay per domain. It listens on several loopback
// addresses on one port (127.0.0.1, 127.0.0.2, …), so a test's clients reach "different hosts"
// without any name resolution. A host it does not know gets 421 Misdirected Request. Like Caddy by
// default, it says who connected in X-Forwarded-For and drops whatever a client put there itself.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface HostProxy {
	port: number;
	/** http://<address>:<port>, one per address it listens on. */
	origins: string[];
	close(): Promise<void>;
}

const FORWARDED = 'x-forwarded-for';

const clientOf = (req: IncomingMessage) => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

function forwardedHeaders(req: IncomingMessage): Array<[string, string]> {
	const headers: Array<[string, string]> = [];
	for (let i = 0; i < req.rawHeaders.length; i += 2) {
		if (req.rawHeaders[i]!.toLowerCase() !== FORWARDED) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
	}
	headers.push(['X-Forwarded-For', clientOf(req)]);
	return headers;
}

function head(req: IncomingMessage): string {
	const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`, ...forwardedHeaders(req).map(([name, value]) => `${name}: ${value}`)];
	return `${lines.join('\r\n')}\r\n\r\n`;
}

export async function startHostProxy(addresses: string[], routes: (host: string) => number | undefined): Promise<HostProxy> {
	const target = (req: IncomingMessage) => routes(String(req.headers.host ?? ''));
	const handle = (server: Server) => {
		server.on('request', (req, res) => {
			const port = target(req);
			if (port === undefined) return void res.writeHead(421).end();
			const forwarded = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, [FORWARDED]: clientOf(req) } }, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			forwarded.on('error', () => res.headersSent || res.writeHead(502).end());
			req.pipe(forwarded);
		});
		server.on('upgrade', (req, socket: Duplex, rest: Buffer) => {
			const port = target(req);
			if (port === undefined) return void socket.end('HTTP/1.1 421 Misdirected Request\r\n\r\n');
			const upstream = connect(port, '127.0.0.1', () => {
				upstream.write(head(req));
				if (rest.length) upstream.write(rest);
				upstream.pipe(socket).pipe(upstream);
			});
			upstream.on('error', () => socket.destroy());
			socket.on('error', () => upstream.destroy());
		});
	};
	const servers: Server[] = [];
	let port = 0;
	for (const address of addresses) {
		const server = createServer();
		handle(server);
		await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, address, resolve));
		port = (server.address() as AddressInfo).port;
		servers.push(server);
	}
	return {
		port,
		origins: addresses.map((address) => `http://${address}:${port}`),
		close: async () => {
			for (const server of servers) {
				server.closeAllConnections();
				await new Promise((resolve) => server.close(resolve));
			}
		}
	};
}
