// Takes a finished notification to one device's push service: the payload encrypted to the
// device (aes128gcm) and signed with the relay's VAPID key, both by `web-push`. The request
// itself is sent here with node's http(s) and kept-alive connections: web-push 3.6.7 speaks only
// https, the tests' stand-in push service is plain http on localhost, and fetch (undici, Node 20)
// cost the relay about twice the CPU per push in bench/push.ts. A push service that says the subscription is gone (404,
// 410) loses it; one that is busy (429, 5xx, no answer) is asked again a few times. Nothing here
// throws into the relay, and the log names the device and the status, never what it said.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import webpush from 'web-push';
import type { PushPayload } from '../../src/lib/notify/api.ts';
import type { Logger } from '../log.ts';
import type { Subscribed, Subscriptions } from './subscriptions.ts';
import type { Vapid } from './vapid.ts';

export type Urgency = 'very-low' | 'low' | 'normal' | 'high';

export interface Delivery {
	payload: PushPayload;
	/** Seconds the push service keeps it for a device that is off. */
	ttl: number;
	urgency: Urgency;
	/** Replaces an earlier push with the same topic still waiting at the push service (≤ 32 chars). */
	topic?: string;
}

export type Outcome = 'sent' | 'gone' | 'failed';

export interface CourierOptions {
	vapid: Vapid;
	subscriptions: Subscriptions;
	log: Logger;
	/** Attempts after the first, for 429, 5xx and network errors. */
	retries?: number;
	/** First wait before trying again; doubled each time, or what Retry-After asks (up to a minute). */
	backoffMs?: number;
	/** Requests in flight at once, so a busy moment does not open a thousand sockets. */
	concurrency?: number;
	timeoutMs?: number;
	/** Called when a request leaves (for the benchmark's figures). */
	onRequest?: (device: string) => void;
}

const MAX_RETRY_WAIT_MS = 60_000;
/** A VAPID token is signed once per push service for this long (the spec allows up to 24 hours). */
const TOKEN_SECONDS = 12 * 3600;

export class Courier {
	readonly #o: Required<Omit<CourierOptions, 'onRequest'>> & Pick<CourierOptions, 'onRequest'>;
	#inFlight = 0;
	#waiting: Array<() => void> = [];
	#stopped = false;
	#timers = new Set<NodeJS.Timeout>();
	/** Signed VAPID headers per push service origin: signing costs more than encrypting a push. */
	#tokens = new Map<string, { authorization: string; until: number }>();
	#agents: { http: HttpAgent; https: HttpsAgent };

	constructor(options: CourierOptions) {
		this.#o = { retries: 3, backoffMs: 2000, concurrency: 32, timeoutMs: 10_000, ...options };
		const pool = { keepAlive: true, maxSockets: this.#o.concurrency, timeout: this.#o.timeoutMs };
		this.#agents = { http: new HttpAgent(pool), https: new HttpsAgent(pool) };
	}

	/** Resolves with what became of it; never rejects. */
	async deliver(to: Subscribed, delivery: Delivery): Promise<Outcome> {
		let request: ReturnType<typeof webpush.generateRequestDetails>;
		try {
			request = webpush.generateRequestDetails(to.subscription, JSON.stringify(delivery.payload), {
				headers: { Authorization: this.#authorization(to.subscription.endpoint) },
				TTL: delivery.ttl,
				urgency: delivery.urgency,
				...(delivery.topic ? { topic: delivery.topic } : {}),
				contentEncoding: 'aes128gcm'
			});
		} catch (error) {
			// A subscription whose keys do not work can never be delivered to.
			this.#o.log.warn({ device: to.device, reason: (error as Error).message }, 'push subscription unusable; removed');
			this.#o.subscriptions.remove(to.device);
			return 'gone';
		}
		for (let attempt = 0; ; attempt += 1) {
			if (this.#stopped) return 'failed';
			const answer = await this.#send(to.device, request);
			if (typeof answer === 'number' && answer >= 200 && answer < 300) {
				this.#o.log.debug({ device: to.device, status: answer }, 'push sent');
				return 'sent';
			}
			const status = typeof answer === 'number' ? answer : answer.error;
			if (answer === 404 || answer === 410) {
				this.#o.log.info({ device: to.device, status }, 'push service says the subscription is gone');
				// Only if it is still the same subscription: the device may have subscribed afresh meanwhile.
				if (this.#o.subscriptions.get(to.device)?.subscription.endpoint === to.subscription.endpoint) this.#o.subscriptions.remove(to.device);
				return 'gone';
			}
			const again = typeof answer !== 'number' || answer === 429 || answer >= 500;
			if (!again || attempt >= this.#o.retries) {
				this.#o.log.warn({ device: to.device, status, attempts: attempt + 1 }, 'push not delivered');
				return 'failed';
			}
			const asked = typeof answer === 'number' ? undefined : answer.retryAfterMs;
			await this.#wait(Math.min(asked ?? this.#o.backoffMs * 2 ** attempt, MAX_RETRY_WAIT_MS));
		}
	}

	#authorization(endpoint: string): string {
		const audience = new URL(endpoint).origin;
		const now = Math.floor(Date.now() / 1000);
		const kept = this.#tokens.get(audience);
		// Renewed an hour before it runs out, so no push leaves with a token about to expire.
		if (kept && kept.until - now > 3600) return kept.authorization;
		const { vapid } = this.#o;
		const headers = webpush.getVapidHeaders(audience, vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm', now + TOKEN_SECONDS);
		this.#tokens.set(audience, { authorization: headers.Authorization, until: now + TOKEN_SECONDS });
		return headers.Authorization;
	}

	/** Lets go of waiting retries; deliveries under way end as 'failed'. */
	stop(): void {
		this.#stopped = true;
		for (const timer of this.#timers) clearTimeout(timer);
		this.#timers.clear();
		for (const go of this.#waiting.splice(0)) go();
		this.#agents.http.destroy();
		this.#agents.https.destroy();
	}

	#wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.#timers.delete(timer);
				resolve();
			}, ms);
			timer.unref();
			this.#timers.add(timer);
		});
	}

	async #slot(): Promise<void> {
		while (this.#inFlight >= this.#o.concurrency && !this.#stopped) await new Promise<void>((go) => this.#waiting.push(go));
		this.#inFlight += 1;
	}

	#release(): void {
		this.#inFlight -= 1;
		this.#waiting.shift()?.();
	}

	/** The push service's status, or why there was none (with its Retry-After for a 429/503). */
	async #send(device: string, request: ReturnType<typeof webpush.generateRequestDetails>): Promise<number | { error: string; retryAfterMs?: number }> {
		await this.#slot();
		try {
			this.#o.onRequest?.(device);
			const response = await this.#post(request);
			if (response.status === 429 || response.status >= 500) {
				const retryAfter = Number(response.retryAfter);
				return Number.isFinite(retryAfter) && retryAfter > 0 ? { error: String(response.status), retryAfterMs: retryAfter * 1000 } : response.status;
			}
			return response.status;
		} catch (error) {
			return { error: (error as Error).message === 'timeout' ? 'timeout' : 'network' };
		} finally {
			this.#release();
		}
	}

	#post(request: ReturnType<typeof webpush.generateRequestDetails>): Promise<{ status: number; retryAfter?: string }> {
		return new Promise((resolve, reject) => {
			const secure = request.endpoint.startsWith('https:');
			const send = secure ? httpsRequest : httpRequest;
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
			const outgoing = send(request.endpoint, { method: request.method, headers, agent: secure ? this.#agents.https : this.#agents.http, timeout: this.#o.timeoutMs }, (response: IncomingMessage) => {
				// The answer's body means nothing to the relay; reading it frees the connection for the next push.
				response.resume();
				response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
				response.on('error', reject);
			});
			outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
			outgoing.on('error', reject);
			outgoing.end(request.body ?? undefined);
		});
	}
}
