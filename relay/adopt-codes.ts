// The operator's one approval for re-seeding: `noaber adopt-code` makes a code that lets one member's
// device bring a neighbourhood whose relay is gone for good (relay/adopt-api.ts). Kept as
// adopt-codes.json (mode 0600, written whole, tmp + rename) so the command works while the relay
// runs; the code itself is stored only as a hash. A used code remembers which neighbourhood and
// device it let in: that device may bring the neighbourhood's documents for a while afterwards.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { parseSecret } from '../src/lib/access/secret.ts';
import { makeSecret, matches } from './secrets.ts';

/** How long an unused code works: long enough for a letter or a phone call to reach a member. */
export const ADOPT_CODE_MS = 7 * 24 * 60 * 60 * 1000;
/** How long after adopting the device may bring documents past the referee (its whole copy). */
export const SEED_WINDOW_MS = 24 * 60 * 60 * 1000;

const CodeRecord = v.object({
	hash: v.string(),
	createdAt: v.string(),
	expiresAt: v.string(),
	usedAt: v.optional(v.string()),
	neighbourhood: v.optional(v.string()),
	device: v.optional(v.string())
});
const CodesFile = v.object({ codes: v.record(v.string(), CodeRecord) });
type Codes = v.InferOutput<typeof CodesFile>;

export type CodeRefusal = 'code' | 'expired' | 'used';

export class AdoptCodes {
	readonly #file: string;
	readonly #now: () => number;

	constructor(data: string, now: () => number = Date.now) {
		this.#file = join(data, 'adopt-codes.json');
		this.#now = now;
	}

	#read(): Codes {
		if (!existsSync(this.#file)) return { codes: {} };
		try {
			const parsed = v.safeParse(CodesFile, JSON.parse(readFileSync(this.#file, 'utf8')));
			return parsed.success ? parsed.output : { codes: {} };
		} catch {
			return { codes: {} };
		}
	}

	#write(codes: Codes) {
		// The operator may make a code before the relay ever ran on this server.
		mkdirSync(join(this.#file, '..'), { recursive: true, mode: 0o700 });
		const tmp = `${this.#file}.${process.pid}.tmp`;
		writeFileSync(tmp, `${JSON.stringify(codes, null, 1)}\n`, { mode: 0o600 });
		renameSync(tmp, this.#file);
	}

	/** A new code; expired unused ones are forgotten on the way. */
	make(validMs = ADOPT_CODE_MS): { code: string; expiresAt: string } {
		const codes = this.#read();
		const now = this.#now();
		for (const [id, record] of Object.entries(codes.codes)) {
			if (!record.usedAt && Date.parse(record.expiresAt) <= now) delete codes.codes[id];
		}
		const made = makeSecret(16);
		const expiresAt = new Date(now + validMs).toISOString();
		codes.codes[made.id] = { hash: made.hash, createdAt: new Date(now).toISOString(), expiresAt };
		this.#write(codes);
		return { code: made.full, expiresAt };
	}

	/** Whether the code would let a device in now; nothing is used up. */
	check(code: string): CodeRefusal | undefined {
		const parsed = parseSecret(code);
		const record = parsed ? this.#read().codes[parsed.id] : undefined;
		if (!parsed || !record || !matches(parsed.secret, record.hash)) return 'code';
		if (record.usedAt) return 'used';
		if (Date.parse(record.expiresAt) <= this.#now()) return 'expired';
		return undefined;
	}

	/** Uses the code up for this neighbourhood and device; a refusal when it no longer works. */
	use(code: string, neighbourhood: string, device: string): CodeRefusal | undefined {
		const refusal = this.check(code);
		if (refusal) return refusal;
		const codes = this.#read();
		const record = codes.codes[parseSecret(code)!.id]!;
		record.usedAt = new Date(this.#now()).toISOString();
		record.neighbourhood = neighbourhood;
		record.device = device;
		this.#write(codes);
		return undefined;
	}

	/** Whether this device adopted this neighbourhood recently enough to bring its documents. */
	maySeed(neighbourhood: string, device: string): boolean {
		const now = this.#now();
		return Object.values(this.#read().codes).some(
			(r) => r.neighbourhood === neighbourhood && r.device === device && r.usedAt !== undefined && Date.parse(r.usedAt) + SEED_WINDOW_MS > now
		);
	}
}
