// A stand-in push service on localhost, as the endpoint of test-made browser subscriptions: it
// holds each subscription's private key and auth secret (P-256, node:crypto) like a browser does,
// decrypts every push (aes128gcm, http_ece), checks the VAPID signature, and answers with whatever
// status a test asks for. Benchmarks use it too (no vitest here).
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { decrypt } from 'http_ece';
import type { PushPayload, PushSubscriptionInput } from '../../src/lib/notify/api.ts';

export interface Received {
	/** The subscription it was for. */
	id: string;
	at: number;
	payload: PushPayload;
	/** The decrypted text, to search for what must never be in it. */
	text: string;
	ttl: number;
	urgency: string | undefined;
	topic: string | undefined;
	/** The VAPID public key the push was signed with (checked against the signature). */
	signedBy: string;
}

interface Held {
	ecdh: ECDH;
	auth: string;
	/** Statuses to answer, one per request; 201 when empty. */
	answers: number[];
}

export interface StandIn {
	url: string;
	received: Received[];
	/** Requests whose payload could not be decrypted or whose signature did not verify. */
	broken: string[];
	/** Requests seen, answered 2xx or not. */
	requests: number;
	subscribe(id?: string): PushSubscriptionInput & { id: string };
	/** The next requests for this subscription get these statuses. */
	answer(id: string, ...statuses: number[]): void;
	/** Whether to decrypt (a benchmark counting requests may not want to spend the time). */
	decrypting: boolean;
	close(): Promise<void>;
}

function verifyVapid(authorization: string | undefined, audience: string): string {
	const found = /^vapid t=([^,]+), k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
	if (!found) throw new Error('no vapid authorization');
	const [, token, key] = found;
	const [header, claims, signature] = token!.split('.');
	const raw = Buffer.from(key!, 'base64url');
	const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
	const ok = verify('sha256', Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'));
	if (!ok) throw new Error('vapid signature does not verify');
	const body = JSON.parse(Buffer.from(claims!, 'base64url').toString('utf8')) as { aud: string; exp: number; sub: string };
	if (body.aud !== audience) throw new Error(`vapid audience ${body.aud}`);
	if (!/^(mailto:|https:)/.test(body.sub)) throw new Error('vapid subject');
	return key!;
}

export async function startPushService(): Promise<StandIn> {
	const held = new Map<string, Held>();
	let count = 0;
	const service: StandIn = {
		url: '',
		received: [],
		broken: [],
		requests: 0,
		decrypting: true,
		subscribe(id = `s${(count += 1)}`) {
			const ecdh = createECDH('prime256v1');
			ecdh.generateKeys();
			const auth = randomBytes(16).toString('base64url');
			held.set(id, { ecdh, auth, answers: [] });
			return { id, endpoint: `${service.url}/push/${id}`, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
		},
		answer(id, ...statuses) {
			held.get(id)!.answers.push(...statuses);
		},
		close: () => new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		})
	};
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			service.requests += 1;
			const at = Date.now();
			const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
			const subscription = held.get(id);
			const status = subscription?.answers.shift() ?? (subscription ? 201 : 404);
			if (subscription && status >= 200 && status < 300) {
				try {
					const signedBy = verifyVapid(req.headers.authorization, service.url);
					if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
					const text = service.decrypting ? decrypt(Buffer.concat(chunks), { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.auth }).toString('utf8') : '{}';
					service.received.push({
						id,
						at,
						payload: JSON.parse(text) as PushPayload,
						text,
						ttl: Number(req.headers.ttl),
						urgency: req.headers.urgency as string | undefined,
						topic: req.headers.topic as string | undefined,
						signedBy
					});
				} catch (error) {
					service.broken.push(`${id}: ${(error as Error).message}`);
					res.writeHead(400).end();
					return;
				}
			}
			res.writeHead(status).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	service.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
	return service;
}
