// Who wrote which change, as the relay saw it arrive: the record behind "Wijzigingen" and undo.
// Automerge's own change metadata (actor, time) is whatever the sending device said; this log
// holds the relay's clock and the member the relay authenticated. One append-only file per
// neighbourhood and day, changes/<neighbourhood>/<YYYY-MM-DD>.jsonl (folders 0700, files 0600),
// so keeping 90 days is deleting whole files. Records carry ids and hashes, never content.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { FILE_MODE, FOLDER_MODE } from './data-folder.ts';
import type { Logger } from './log.ts';

export interface ChangeRecord {
	/** Relay clock, ms. */
	at: number;
	/** Document id (without the automerge: prefix). */
	document: string;
	hash: string;
	actor: string;
	/** The authenticated member; for an undo, the manager who asked for it. */
	member: string;
	device?: string;
	/** Written by the relay itself to undo someone's changes. */
	undo?: boolean;
}

/** Changes are restorable this long (issue #12). */
export const KEEP_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Records wait in memory at most this long, or until this many are waiting. */
const FLUSH_MS = 1000;
const FLUSH_COUNT = 500;

const Line = v.object({
	at: v.number(),
	document: v.string(),
	hash: v.string(),
	actor: v.string(),
	member: v.string(),
	device: v.optional(v.string()),
	undo: v.optional(v.boolean())
});

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export interface ChangeQuery {
	/** From this moment on (relay clock, ms). */
	since?: number;
	until?: number;
	member?: string;
	document?: string;
}

export class ChangeLog {
	readonly dir: string;
	#log: Logger | undefined;
	#now: () => number;
	#waiting = new Map<string, ChangeRecord[]>();
	#count = 0;
	#timer: NodeJS.Timeout | undefined;
	#prunedDay = '';
	#closed = false;

	constructor(dataDir: string, log?: Logger, now: () => number = Date.now) {
		this.dir = join(dataDir, 'changes');
		this.#log = log;
		this.#now = now;
		mkdirSync(this.dir, { recursive: true, mode: FOLDER_MODE });
		this.prune();
	}

	/** Called in the message path for every accepted change: only queues, the disk write is batched. */
	record(neighbourhood: string, records: readonly ChangeRecord[]): void {
		if (records.length === 0 || !SAFE_ID.test(neighbourhood)) return;
		if (this.#closed) {
			// After close (a message still in flight while stopping): written at once, never lost.
			this.#write(neighbourhood, records);
			return;
		}
		let list = this.#waiting.get(neighbourhood);
		if (!list) this.#waiting.set(neighbourhood, (list = []));
		list.push(...records);
		this.#count += records.length;
		if (this.#count >= FLUSH_COUNT) this.flush();
		else if (!this.#timer) {
			this.#timer = setTimeout(() => this.flush(), FLUSH_MS);
			this.#timer.unref();
		}
	}

	#write(neighbourhood: string, records: readonly ChangeRecord[]) {
		const folder = join(this.dir, neighbourhood);
		mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
		const byDay = new Map<string, string[]>();
		for (const record of records) {
			const day = dayOf(record.at);
			let lines = byDay.get(day);
			if (!lines) byDay.set(day, (lines = []));
			lines.push(JSON.stringify(record));
		}
		for (const [day, lines] of byDay) appendFileSync(join(folder, `${day}.jsonl`), `${lines.join('\n')}\n`, { mode: FILE_MODE });
	}

	/** Writes what is waiting; also done within a second by itself. */
	flush(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const waiting = this.#waiting;
		this.#waiting = new Map();
		this.#count = 0;
		for (const [neighbourhood, records] of waiting) {
			try {
				this.#write(neighbourhood, records);
			} catch (error) {
				// A full disk: kept for the next try rather than dropped.
				this.#log?.error({ err: error, neighbourhood, records: records.length }, 'change log: write failed');
				const list = this.#waiting.get(neighbourhood) ?? [];
				this.#waiting.set(neighbourhood, [...records, ...list]);
				this.#count += records.length;
			}
		}
		if (this.#count > 0 && !this.#timer) {
			this.#timer = setTimeout(() => this.flush(), FLUSH_MS);
			this.#timer.unref();
		}
		const today = dayOf(this.#now());
		if (today !== this.#prunedDay) this.prune();
	}

	close(): void {
		this.flush();
		this.#closed = true;
	}

	/** Deletes the days older than KEEP_DAYS; returns how many day files went. */
	prune(): number {
		const oldest = dayOf(this.#now() - KEEP_DAYS * DAY_MS);
		this.#prunedDay = dayOf(this.#now());
		let removed = 0;
		for (const neighbourhood of this.#neighbourhoods()) {
			for (const file of readdirSync(join(this.dir, neighbourhood))) {
				const day = DAY_FILE.exec(file)?.[1];
				if (day && day < oldest) {
					rmSync(join(this.dir, neighbourhood, file), { force: true });
					removed += 1;
				}
			}
		}
		if (removed > 0) this.#log?.info({ files: removed, keepDays: KEEP_DAYS }, 'change log: old days removed');
		return removed;
	}

	#neighbourhoods(): string[] {
		if (!existsSync(this.dir)) return [];
		return readdirSync(this.dir, { withFileTypes: true })
			.filter((e) => e.isDirectory() && SAFE_ID.test(e.name))
			.map((e) => e.name);
	}

	/** Records of one neighbourhood, oldest first, within the last KEEP_DAYS. */
	query(neighbourhood: string, query: ChangeQuery = {}): ChangeRecord[] {
		if (!SAFE_ID.test(neighbourhood)) return [];
		const since = Math.max(query.since ?? 0, this.#now() - KEEP_DAYS * DAY_MS);
		const until = query.until ?? Infinity;
		const fromDay = dayOf(since);
		const toDay = Number.isFinite(until) ? dayOf(until) : '9999-12-31';
		const out: ChangeRecord[] = [];
		const keep = (r: ChangeRecord) =>
			r.at >= since && r.at <= until && (query.member === undefined || r.member === query.member) && (query.document === undefined || r.document === query.document);
		const folder = join(this.dir, neighbourhood);
		if (existsSync(folder)) {
			for (const file of readdirSync(folder).sort()) {
				const day = DAY_FILE.exec(file)?.[1];
				if (!day || day < fromDay || day > toDay) continue;
				for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
					if (!line) continue;
					try {
						const parsed = v.safeParse(Line, JSON.parse(line));
						if (parsed.success && keep(parsed.output)) out.push(parsed.output);
					} catch {
						// A line cut short by a crash: the rest of the day still counts.
					}
				}
			}
		}
		for (const r of this.#waiting.get(neighbourhood) ?? []) if (keep(r)) out.push(r);
		return out.sort((a, b) => a.at - b.at);
	}

	/** The newest records, newest first. */
	recent(neighbourhood: string, limit: number, query: ChangeQuery = {}): ChangeRecord[] {
		return this.query(neighbourhood, query).slice(-limit).reverse();
	}
}
