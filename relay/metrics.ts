// /metrics in Prometheus' text format (prom-client), for an operator's monitoring: how busy the
// relay is and what it refuses. Counts only: no neighbourhood, member, device or document is ever
// a label, so the page says nothing about who uses which neighbourhood.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
	connections: () => number;
	neighbourhoods: () => number;
	documentsLoaded: () => number;
	storageBytes: () => number;
	/** Whether the relay can store changes now (readiness.ts). */
	writable: () => boolean;
}

/** A close reason as a label: a few fixed words, cut short in case a future reason carries more. */
const reasonLabel = (reason: string) => reason.replace(/[^a-z -]/gi, '').slice(0, 40) || 'other';

export class RelayMetrics {
	readonly registry = new Registry();
	readonly #messages: Counter<'direction'>;
	readonly #refusedConnections: Counter<'reason'>;
	readonly #closedConnections: Counter<'code' | 'reason'>;
	readonly #roundTrip: Histogram;

	constructor(sources: MetricsSources) {
		const registers = [this.registry];
		collectDefaultMetrics({ register: this.registry, prefix: 'noaber_' });
		const gauge = (name: string, help: string, read: () => number) =>
			new Gauge({
				name,
				help,
				registers,
				collect() {
					this.set(read());
				}
			});
		gauge('noaber_connections', 'Open websocket connections that showed a valid key', sources.connections);
		gauge('noaber_neighbourhoods', 'Neighbourhoods hosted by this relay', sources.neighbourhoods);
		gauge('noaber_documents_loaded', 'Documents in memory now', sources.documentsLoaded);
		gauge('noaber_storage_bytes', 'Bytes of document storage of all neighbourhoods', sources.storageBytes);
		gauge('noaber_storage_writable', '1 while the relay can store changes, 0 while the disk refuses writes', () => (sources.writable() ? 1 : 0));
		this.#messages = new Counter({ name: 'noaber_messages_total', help: 'Sync messages received from devices (in) and sent to them (out)', labelNames: ['direction'], registers });
		this.#refusedConnections = new Counter({ name: 'noaber_refused_connections_total', help: 'Sockets turned away at the door, by reason', labelNames: ['reason'], registers });
		this.#closedConnections = new Counter({
			name: 'noaber_closed_connections_total',
			help: 'Connections the relay closed for what they sent (frames refused), by close code and reason',
			labelNames: ['code', 'reason'],
			registers
		});
		this.#roundTrip = new Histogram({
			name: 'noaber_sync_round_trip_seconds',
			help: 'From a sync message received from a device to the relay’s next sync message to that device about the same document',
			buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
			registers
		});
		this.#messages.inc({ direction: 'in' }, 0);
		this.#messages.inc({ direction: 'out' }, 0);
	}

	messageIn(): void {
		this.#messages.inc({ direction: 'in' });
	}

	messageOut(): void {
		this.#messages.inc({ direction: 'out' });
	}

	refusedConnection(reason: string): void {
		this.#refusedConnections.inc({ reason: reasonLabel(reason) });
	}

	closedConnection(code: number, reason: string): void {
		this.#closedConnections.inc({ code: String(code), reason: reasonLabel(reason) });
	}

	roundTrip(seconds: number): void {
		this.#roundTrip.observe(seconds);
	}

	text(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}

/** A message waiting longer than this for the relay's answer is forgotten (after one to two of them). */
const FORGET_MS = 30_000;
/** At most this many messages wait to be timed; more are not timed (a flood, not a measure). */
const MAX_WAITING = 10_000;

/**
 * Times sync round trips: a device's sync message for a document, until the relay's next sync
 * message to that device for that document. A device's last message of an exchange gets no answer
 * (both are in sync), so most entries would wait for ever: one per idle connection and document,
 * its peer and document ids kept with it. They are forgotten after 30 to 60 s, in two generations
 * (no walk over them all); the relay ages them now and then, as idle devices send nothing.
 */
export class RoundTrips {
	#current = new Map<string, number>();
	#previous = new Map<string, number>();
	#since: number;
	#observe: (seconds: number) => void;
	#now: () => number;

	constructor(observe: (seconds: number) => void, now: () => number = () => performance.now()) {
		this.#observe = observe;
		this.#now = now;
		this.#since = now();
	}

	/** Messages waiting for the relay's answer. */
	get waiting(): number {
		return this.#current.size + this.#previous.size;
	}

	/** Forgets what waited a generation or more. */
	age(): void {
		const now = this.#now();
		if (now - this.#since < FORGET_MS) return;
		this.#previous = now - this.#since < 2 * FORGET_MS ? this.#current : new Map();
		this.#current = new Map();
		this.#since = now;
	}

	received(peer: string, document: string): void {
		this.age();
		const key = `${peer} ${document}`;
		if (this.waiting >= MAX_WAITING || this.#current.has(key) || this.#previous.has(key)) return;
		this.#current.set(key, this.#now());
	}

	sent(peer: string, document: string): void {
		this.age();
		const key = `${peer} ${document}`;
		const at = this.#current.get(key) ?? this.#previous.get(key);
		if (at === undefined) return;
		this.#current.delete(key);
		this.#previous.delete(key);
		this.#observe((this.#now() - at) / 1000);
	}
}
