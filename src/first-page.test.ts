// The first page a device paints (the welcome page, or "wordt geladen" for a member) must not wait
// for the document engine, the cipher suite or the agenda's repeat rules: they come with a
// neighbourhood, after the first paint (bench/first-load.ts measures the bytes). This follows the
// value imports from what SvelteKit loads for `/` (type-only imports and `import()` do not load
// anything up front) and names the chain to any module that reaches one of them.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../tests/source-imports.ts';

const SRC = resolve('src');
const FIRST_PAGE = ['hooks.client.ts', 'routes/+layout.ts', 'routes/+layout.svelte', 'routes/+page.svelte', 'routes/+error.svelte'];
/** Packages and modules that only a neighbourhood needs. */
const LATER = [/^@automerge\//, /^@hpke\//, /^rrule$/, /^src\/lib\/automerge\/fields\.ts$/];

/** Every module the first page loads up front, each with the module that first led to it. */
function firstPageModules(): Map<string, string | undefined> {
	const reached = new Map<string, string | undefined>();
	const queue = FIRST_PAGE.map((entry) => join(SRC, entry));
	for (const entry of queue) reached.set(entry, undefined);
	while (queue.length > 0) {
		const file = queue.shift()!;
		if (!file.startsWith('/') || !existsSync(file)) continue;
		for (const next of importsOf(file).filter((name) => !name.startsWith('$app/') && !name.endsWith('.css'))) {
			if (reached.has(next)) continue;
			reached.set(next, file);
			queue.push(next);
		}
	}
	return reached;
}

const shown = (module: string) => (module.startsWith('/') ? relative(resolve('.'), module) : module);

describe('the first page', () => {
	const reached = firstPageModules();

	it('reads the layout, the welcome page and the device language, and nothing that only a neighbourhood needs', () => {
		const chains = [...reached.keys()]
			.filter((module) => LATER.some((later) => later.test(shown(module))))
			.map((module) => {
				const chain: string[] = [];
				for (let at: string | undefined = module; at; at = reached.get(at)) chain.unshift(shown(at));
				return chain.join(' → ');
			});
		expect(chains).toEqual([]);
	});

	it('is followed far enough to mean something', () => {
		// A walk that stopped at the entries (a parse that found no imports) would pass the test above.
		const ours = [...reached.keys()].map(shown);
		expect(ours).toContain('src/lib/device/neighbourhoods.svelte.ts');
		expect(ours).toContain('src/lib/device/memberships.ts');
		expect(ours).toContain('src/lib/i18n/load-texts.ts');
		expect(ours).toContain('valibot');
	});
});
