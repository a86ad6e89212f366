// Who wrote what: each Automerge actor id is bound to the member and device whose connection first
// brought a change made with it, and from then on only that member's devices may bring changes
// made with it. Automerge's own author field is self-declared; this binding is what the history
// and "gedaan door" can trust. One append-only file per neighbourhood, actors/<id>.jsonl (0600):
// a binding is written before the change it allows is passed on, and never changes.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Binding {
	member: string;
	device?: string;
}

/** An actor id as Automerge writes it: lower-case hex. */
const ACTOR = /^[0-9a-f]{2,64}$/;

export class ActorBook {
	#dir: string;
	#books = new Map<string, Map<string, Binding>>();

	constructor(data: string) {
		this.#dir = join(data, 'actors');
	}

	#file(neighbourhood: string) {
		return join(this.#dir, `${neighbourhood}.jsonl`);
	}

	#book(neighbourhood: string): Map<string, Binding> {
		let book = this.#books.get(neighbourhood);
		if (book) return book;
		book = new Map();
		const file = this.#file(neighbourhood);
		if (existsSync(file)) {
			for (const line of readFileSync(file, 'utf8').split('\n')) {
				// A line cut short by a crash is the binding of a change that was never passed on.
				try {
					const { actor, member, device } = JSON.parse(line) as { actor?: unknown; member?: unknown; device?: unknown };
					if (typeof actor !== 'string' || typeof member !== 'string' || book.has(actor)) continue;
					book.set(actor, typeof device === 'string' ? { member, device } : { member });
				} catch {
					continue;
				}
			}
		}
		this.#books.set(neighbourhood, book);
		return book;
	}

	get(neighbourhood: string, actor: string): Binding | undefined {
		return this.#book(neighbourhood).get(actor);
	}

	/** Binds `actor` to `binding` unless it is bound already; returns the binding that holds. */
	bind(neighbourhood: string, actor: string, binding: Binding): Binding {
		const book = this.#book(neighbourhood);
		const held = book.get(actor);
		if (held) return held;
		if (!ACTOR.test(actor)) throw new Error('not an actor id');
		mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
		appendFileSync(this.#file(neighbourhood), `${JSON.stringify({ actor, ...binding, at: new Date().toISOString() })}\n`, { mode: 0o600 });
		book.set(actor, binding);
		return binding;
	}
}
