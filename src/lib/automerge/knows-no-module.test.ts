// The repository layer opens what the modules declare; it must not know the modules themselves,
// or a new module means editing the middle of the app again (neighbourhood/modules.ts lists them).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const lib = resolve(here, '..');
const MODULES = ['help', 'agenda', 'map', 'members', 'neighbourhood'];
// Static imports and re-exports (type-only ones too: they tie the layer to a module's shape) and import().
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;

function importsOf(file: string): string[] {
	return [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].map((match) => match[1]);
}

function intoModule(file: string, specifier: string): string | undefined {
	const target = specifier.startsWith('$lib/') ? join(lib, specifier.slice(5)) : specifier.startsWith('.') ? resolve(dirname(file), specifier) : undefined;
	if (!target) return undefined;
	const top = relative(lib, target).split(/[\\/]/)[0];
	return MODULES.includes(top) ? top : undefined;
}

describe('the repository layer (src/lib/automerge)', () => {
	const files = readdirSync(here).filter((name) => /\.(ts|svelte)$/.test(name) && !name.includes('.test.'));

	it('imports no domain module', () => {
		const reaches = files.flatMap((name) =>
			importsOf(join(here, name)).flatMap((specifier) => (intoModule(join(here, name), specifier) ? [`${name} → ${specifier}`] : []))
		);
		expect(reaches).toEqual([]);
	});

	it('is read: the files and their imports were found', () => {
		expect(files).toContain('module-documents.svelte.ts');
		expect(importsOf(join(here, 'module-documents.svelte.ts'))).toContain('./reactive.svelte.ts');
		expect(intoModule(join(here, 'x.ts'), '../help/view.ts')).toBe('help');
		expect(intoModule(join(here, 'x.ts'), '$lib/neighbourhood/view.ts')).toBe('neighbourhood');
	});
});
