// Failed guesses at a secret (a ticket, a credential, a link code), counted per remote address:
// after too many in a short while that address is refused for the rest of the window, so nobody
// can try tickets or codes by the thousand. Honest devices fail rarely (a withdrawn ticket, a
// removed phone) and never come near the limit.
import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { clientAddress } from './client-address.ts';

export const MAX_FAILURES = 20;
export const WINDOW_MS = 10 * 60 * 1000;

export class Attempts {
	#failures = new Map<string, number[]>();
	#now: () => number;
	#max: number;
	#proxies: BlockList | undefined;

	constructor(options: { max?: number; now?: () => number; trustedProxies?: BlockList } = {}) {
		this.#max = options.max ?? MAX_FAILURES;
		this.#now = options.now ?? Date.now;
		this.#proxies = options.trustedProxies;
	}

	/** The address a request counts against: its client's, also behind a trusted reverse proxy. */
	addressOf(req: IncomingMessage): string {
		return clientAddress(req, this.#proxies);
	}

	#recent(address: string): number[] {
		const since = this.#now() - WINDOW_MS;
		const kept = (this.#failures.get(address) ?? []).filter((at) => at > since);
		if (kept.length === 0) this.#failures.delete(address);
		else this.#failures.set(address, kept);
		return kept;
	}

	blocked(address: string): boolean {
		return this.#recent(address).length >= this.#max;
	}

	failed(address: string): void {
		const recent = this.#recent(address);
		recent.push(this.#now());
		this.#failures.set(address, recent);
		// Bounded memory under a spray of addresses: forget the oldest entries first.
		if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value!);
	}
}
