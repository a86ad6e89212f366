// A generated board on disk: one `<period>.automerge` file per quarter (Automerge.save) and an
// index.json with the seed, scale, members and per-quarter counts, so other bench scripts (and the
// in-browser IndexedDB measurement) can reuse a board without generating it again.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Generated, GeneratedMember, Scale } from './generate-help.ts';

export interface BoardIndex {
	seed: number;
	scale: Scale;
	counts: Generated['counts'];
	members: GeneratedMember[];
	periods: { period: string; file: string; bytes: number; posts: number; responses: number; changes: number }[];
}

export function saveGenerated(folder: string, generated: Generated): BoardIndex {
	mkdirSync(folder, { recursive: true });
	const index: BoardIndex = {
		seed: generated.seed,
		scale: generated.scale,
		counts: generated.counts,
		members: generated.members,
		periods: generated.periods.map(({ period, bytes, posts, responses, changes }) => {
			const file = `${period}.automerge`;
			writeFileSync(join(folder, file), bytes);
			return { period, file, bytes: bytes.byteLength, posts, responses, changes };
		})
	};
	writeFileSync(join(folder, 'index.json'), JSON.stringify(index, null, '\t'));
	return index;
}

export function loadGenerated(folder: string): Generated {
	const index = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8')) as BoardIndex;
	return {
		seed: index.seed,
		scale: index.scale,
		counts: index.counts,
		members: index.members,
		periods: index.periods.map(({ file, ...rest }) => ({ ...rest, bytes: new Uint8Array(readFileSync(join(folder, file))) }))
	};
}
