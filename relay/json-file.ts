// One small JSON file per neighbourhood for the relay's own records (reports, e-mail choices):
// read through a schema, written whole (tmp + rename, mode 0600) so a crash never leaves half a
// file and the operator can copy the data folder at any moment.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as v from 'valibot';

/**
 * The file's content, or `empty()` when there is none yet. A damaged file throws: writing an empty
 * record over it would lose what it held, and the operator can still repair it by hand.
 */
export function readJsonFile<S extends v.GenericSchema>(path: string, schema: S, empty: () => v.InferOutput<S>): v.InferOutput<S> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch {
		return empty();
	}
	try {
		const parsed = v.safeParse(schema, JSON.parse(text));
		if (parsed.success) return parsed.output;
	} catch {
		// not JSON: damaged, like a file that does not match the schema
	}
	throw new Error(`unreadable record: ${path}`);
}

export function writeJsonFile(path: string, value: unknown): void {
	mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
	const tmp = `${path}.${process.pid}.tmp`;
	writeFileSync(tmp, `${JSON.stringify(value, null, 1)}\n`, { mode: 0o600 });
	renameSync(tmp, path);
}
