// What waits for the morning (or for a group's ten minutes) survives a restart of the relay: an
// update installed at night must not swallow the notifications of the evening. Kept in
// <data>/push/waiting.json, written whole; read back through a schema, and a damaged file is
// moved aside (the relay starts with nothing waiting rather than not at all).
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { NEWS_KINDS, type NewsItem } from '../../src/lib/news/item.ts';
import type { Logger } from '../log.ts';
import { ensureFolder, pushFolder, writeWhole } from './files.ts';

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const NewsItemSchema = v.object({
	id: text(300),
	kind: v.picklist(NEWS_KINDS),
	for: text(64),
	at: text(40),
	actor: v.optional(text(64)),
	actedBy: v.optional(text(64)),
	subject: v.object({
		module: v.picklist(['help', 'agenda', 'members', 'reports']),
		id: text(100),
		category: v.optional(text(100)),
		title: v.optional(text(300)),
		occurrence: v.optional(text(40)),
		postKind: v.optional(v.picklist(['request', 'offer']))
	}),
	path: text(200),
	group: text(200)
});

const WaitingSchema = v.array(
	v.object({
		neighbourhood: text(64),
		device: text(64),
		group: text(200),
		sentAt: v.optional(v.number()),
		waiting: v.array(NewsItemSchema),
		told: v.array(NewsItemSchema)
	})
);

export interface WaitingGroup {
	neighbourhood: string;
	device: string;
	group: string;
	sentAt?: number;
	waiting: NewsItem[];
	told: NewsItem[];
}

export interface WaitingStore {
	load(): WaitingGroup[];
	save(groups: WaitingGroup[]): void;
}

export function waitingFile(data: string, log?: Logger): WaitingStore {
	const folder = pushFolder(data);
	const path = join(folder, 'waiting.json');
	return {
		load() {
			if (!existsSync(path)) return [];
			try {
				const parsed = v.safeParse(WaitingSchema, JSON.parse(readFileSync(path, 'utf8')));
				if (parsed.success) return parsed.output;
			} catch {
				// Unreadable JSON: moved aside below like a file of the wrong shape.
			}
			const aside = `${path}.damaged-${Date.now()}`;
			renameSync(path, aside);
			log?.error({ file: aside }, 'waiting notifications could not be read; moved aside');
			return [];
		},
		save(groups) {
			ensureFolder(folder);
			writeWhole(path, groups);
		}
	};
}
