// Which layout of the data folder this relay writes, so that a future change of layout never
// strands an old folder and an old relay never misreads a newer one. `layout.json` in the data
// folder says which layout the files are in. At start (the relay and every operator command) a
// folder in an older layout is brought up to date one step at a time, the marker written after each
// step, so a crash half-way resumes where it stopped. A folder written by a newer Noaber is refused
// before anything in it is touched.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { appVersion } from './version.ts';

/** The layout this relay writes. Layout 1 is the folder as it was when the marker came (December 2026). */
export const DATA_LAYOUT = 1;

/** Step from layout N to N + 1, by N. Folders from before the marker are layout 0: the same files as layout 1. */
export const MIGRATIONS: Readonly<Record<number, (data: string) => void>> = {
	0: () => undefined
};

const Marker = v.object({ layout: v.pipe(v.number(), v.integer(), v.minValue(0)), by: v.optional(v.string()), at: v.optional(v.string()) });
export const LAYOUT_FILE = 'layout.json';

export class DataLayoutError extends Error {}

export interface LayoutOutcome {
	/** The layout the folder was in before. */
	from: number;
	/** The layout it is in now. */
	layout: number;
}

/**
 * The layout the folder is in (0: from before the marker, or nothing yet), without writing
 * anything; throws DataLayoutError for a newer one or a damaged marker. The operator commands ask
 * only this: they run beside a running relay, and bringing a folder up to date is the relay's job.
 */
export function checkDataLayout(data: string, current = DATA_LAYOUT): number {
	const file = join(data, LAYOUT_FILE);
	let marker: v.InferOutput<typeof Marker>;
	try {
		marker = readJsonFile(file, Marker, () => ({ layout: 0 }));
	} catch {
		throw new DataLayoutError(`${file} cannot be read. Restore it from a backup, or write {"layout": ${current}} in it if this folder was made by this version.`);
	}
	if (marker.layout > current) {
		throw new DataLayoutError(
			`This data folder (${data}) was written by a newer Noaber (layout ${marker.layout}); this one (${appVersion()}) knows layout ${current} and older. Install the newer version again, or restore a backup made with this one.`
		);
	}
	return marker.layout;
}

/**
 * At the relay's start: brings the folder to `current`, one step at a time with the marker written
 * after each, and returns what it was. A new folder gets the marker at once.
 */
export function openDataLayout(
	data: string,
	options: { current?: number; migrations?: Readonly<Record<number, (data: string) => void>> } = {}
): LayoutOutcome {
	const current = options.current ?? DATA_LAYOUT;
	const migrations = options.migrations ?? MIGRATIONS;
	const fresh = !existsSync(data) || readdirSync(data).length === 0;
	const from = fresh ? current : checkDataLayout(data, current);
	const mark = (layout: number) => writeJsonFile(join(data, LAYOUT_FILE), { layout, by: `noaber ${appVersion()}`, at: new Date().toISOString() });
	for (let layout = from; layout < current; layout += 1) {
		const step = migrations[layout];
		if (!step) throw new DataLayoutError(`No way to bring data folder layout ${layout} up to ${layout + 1}.`);
		step(data);
		mark(layout + 1);
	}
	if (!existsSync(join(data, LAYOUT_FILE))) mark(current);
	return { from, layout: current };
}
