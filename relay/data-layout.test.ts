import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { checkDataLayout, DATA_LAYOUT, DataLayoutError, LAYOUT_FILE, openDataLayout } from './data-layout.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'noaber-layout-'));
const marker = (data: string) => JSON.parse(readFileSync(join(data, LAYOUT_FILE), 'utf8')) as { layout: number; by: string };

describe('the data folder’s layout', () => {
	it('marks a folder from before the marker as this layout at the relay’s start, and changes nothing else in it', () => {
		const data = folder();
		writeFileSync(join(data, 'registry.json'), '{"neighbourhoods":[]}');
		expect(checkDataLayout(data)).toBe(0);
		expect(readdirSync(data)).toEqual(['registry.json']);
		expect(openDataLayout(data)).toEqual({ from: 0, layout: DATA_LAYOUT });
		expect(marker(data)).toMatchObject({ layout: DATA_LAYOUT, by: expect.stringMatching(/^noaber \d/) });
		expect(readFileSync(join(data, 'registry.json'), 'utf8')).toBe('{"neighbourhoods":[]}');
		// Opened again: nothing to do.
		expect(openDataLayout(data)).toEqual({ from: DATA_LAYOUT, layout: DATA_LAYOUT });
	});

	it('marks a new folder at once, and an operator command writes nothing', async () => {
		const data = folder();
		const out = { log: () => undefined, error: () => undefined };
		expect(await main(['list'], out, { NOABER_DATA: join(data, 'old') })).toBe(0);
		writeFileSync(join(data, 'old', 'registry.json'), '{"neighbourhoods":[]}');
		expect(await main(['list'], out, { NOABER_DATA: join(data, 'old') })).toBe(0);
		expect(existsSync(join(data, 'old', LAYOUT_FILE))).toBe(false);
		expect(openDataLayout(join(data, 'new'))).toEqual({ from: DATA_LAYOUT, layout: DATA_LAYOUT });
		expect(marker(join(data, 'new')).layout).toBe(DATA_LAYOUT);
	});

	it('brings an old layout up one step at a time, writing the marker after each step', () => {
		const data = folder();
		writeFileSync(join(data, LAYOUT_FILE), JSON.stringify({ layout: 1 }));
		const seen: string[] = [];
		const outcome = openDataLayout(data, {
			current: 3,
			migrations: {
				1: (d) => {
					seen.push(`1→2 at ${marker(d).layout}`);
					mkdirSync(join(d, 'two'));
				},
				2: (d) => void seen.push(`2→3 at ${marker(d).layout}, two ${existsSync(join(d, 'two'))}`)
			}
		});
		expect(outcome).toEqual({ from: 1, layout: 3 });
		expect(seen).toEqual(['1→2 at 1', '2→3 at 2, two true']);
		expect(marker(data).layout).toBe(3);
	});

	it('refuses a folder written by a newer Noaber before touching it, and the command exits 2 saying so', async () => {
		const data = folder();
		writeFileSync(join(data, LAYOUT_FILE), JSON.stringify({ layout: DATA_LAYOUT + 1 }));
		writeFileSync(join(data, 'registry.json'), 'from the future');
		expect(() => openDataLayout(data)).toThrow(DataLayoutError);
		expect(() => openDataLayout(data)).toThrow(`was written by a newer Noaber (layout ${DATA_LAYOUT + 1})`);
		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
		expect(await main(['list'], out, { NOABER_DATA: data })).toBe(2);
		expect(lines.join('\n')).toContain('Install the newer version again, or restore a backup made with this one.');
		expect(readFileSync(join(data, 'registry.json'), 'utf8')).toBe('from the future');
		expect(marker(data).layout).toBe(DATA_LAYOUT + 1);
	});

	it('refuses a damaged marker instead of guessing', () => {
		const data = folder();
		writeFileSync(join(data, LAYOUT_FILE), 'not json');
		expect(() => openDataLayout(data)).toThrow('cannot be read');
	});
});
