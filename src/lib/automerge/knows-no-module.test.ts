// The repository layer opens what the modules declare; it must not know the modules themselves,
// or a new module means editing the middle of the app again (neighbourhood/modules.ts lists them).
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../../../tests/source-imports.ts';

const here = dirname(fileURLToPath(import.meta.url));
const lib = resolve(here, '..');
const MODULES = ['help', 'agenda', 'map', 'members', 'neighbourhood'];

/** The domain module an import reaches into, if any: type-only imports and import() count too. */
function intoModule(target: string): string | undefined {
	if (!target.startsWith('/')) return undefined;
	const top = relative(lib, target).split(/[\\/]/)[0];
	return MODULES.includes(top) ? top : undefined;
}

const reachesOf = (file: string) => importsOf(file, { types: true, later: true });

describe('the repository layer (src/lib/automerge)', () => {
	const files = readdirSync(here).filter((name) => /\.(ts|svelte)$/.test(name) && !name.includes('.test.'));

	it('imports no domain module', () => {
		const reaches = files.flatMap((name) =>
			reachesOf(join(here, name)).flatMap((target) => (intoModule(target) ? [`${name} → ${relative(lib, target)}`] : []))
		);
		expect(reaches).toEqual([]);
	});

	it('is read: the files and their imports were found', () => {
		expect(files).toContain('module-documents.svelte.ts');
		expect(reachesOf(join(here, 'module-documents.svelte.ts'))).toContain(join(here, 'reactive.svelte.ts'));
		expect(intoModule(resolve(here, '../help/view.ts'))).toBe('help');
		expect(intoModule('@automerge/automerge-repo/slim')).toBeUndefined();
	});
});

describe('the connection (neighbourhood/connection.svelte.ts)', () => {
	it('knows the modules only through their declarations (neighbourhood/modules.ts): a new module needs no edit there', () => {
		const connection = resolve(lib, 'neighbourhood/connection.svelte.ts');
		const modules = reachesOf(connection).flatMap((target) => {
			const module = intoModule(target);
			return module && module !== 'neighbourhood' && module !== 'members' ? [relative(lib, target)] : [];
		});
		expect(modules).toEqual([]);
		expect(reachesOf(connection)).toContain(resolve(lib, 'neighbourhood/modules.ts'));
	});
});
