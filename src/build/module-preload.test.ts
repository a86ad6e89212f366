import { describe, expect, it } from 'vitest';
import type { Rolldown } from 'vite';
import { loadedWith, modulePreload, stillToLoad } from './module-preload.ts';

// A page's chunk imports the runtime and the texts; the texts import the runtime too. The page
// loads its news lazily, which needs the runtime, the texts and a list of its own.
const imports = new Map([
	['page.js', ['runtime.js', 'texts.js']],
	['texts.js', ['runtime.js']],
	['runtime.js', []],
	['news.js', ['runtime.js', 'texts.js', 'list.js']],
	['list.js', ['runtime.js', 'news.js']]
]);

describe('what a lazy part still has to fetch', () => {
	it('counts a chunk and everything it imports, however deep, as loaded with it', () => {
		expect([...loadedWith('page.js', imports)].sort()).toEqual(['page.js', 'runtime.js', 'texts.js']);
		// A cycle ends where it began.
		expect([...loadedWith('list.js', imports)].sort()).toEqual(['list.js', 'news.js', 'runtime.js', 'texts.js']);
	});

	it('leaves out what the importing chunk already loaded, and keeps what is new', () => {
		expect(stillToLoad(['news.js', 'runtime.js', 'texts.js', 'list.js'], 'page.js', imports)).toEqual(['news.js', 'list.js']);
	});

	it('keeps every chunk when nothing is known of the importing one', () => {
		expect(stillToLoad(['news.js', 'runtime.js'], 'elsewhere.js', imports)).toEqual(['news.js', 'runtime.js']);
	});
});

describe('the build step', () => {
	const chunk = (fileName: string, chunkImports: string[]) => ({ type: 'chunk', fileName, imports: chunkImports });

	it('reads the static imports from the bundle it is given, and leaves the HTML page’s list alone', () => {
		const preload = modulePreload();
		const bundle = {
			'page.js': chunk('page.js', ['runtime.js']),
			'runtime.js': chunk('runtime.js', []),
			'style.css': { type: 'asset', fileName: 'style.css' }
		} as unknown as Rolldown.OutputBundle;
		const hook = preload.plugin.generateBundle as { handler: (this: unknown, options: unknown, bundle: Rolldown.OutputBundle) => void };
		hook.handler.call({}, {}, bundle);
		expect(preload.resolveDependencies('news.js', ['news.js', 'runtime.js'], { hostId: 'page.js', hostType: 'js' })).toEqual(['news.js']);
		expect(preload.resolveDependencies('page.js', ['runtime.js'], { hostId: 'index.html', hostType: 'html' })).toEqual(['runtime.js']);
	});

	it('asks nothing ahead for a part that is to come without links, and says so when that part has no chunk', () => {
		const preload = modulePreload({ unhurried: ['src/routes/News.svelte'] });
		const bundle = {
			'page.js': chunk('page.js', ['runtime.js']),
			'runtime.js': chunk('runtime.js', []),
			'news.js': { ...chunk('news.js', ['runtime.js', 'list.js']), facadeModuleId: `${process.cwd()}/src/routes/News.svelte` },
			'list.js': chunk('list.js', [])
		} as unknown as Rolldown.OutputBundle;
		const hook = preload.plugin.generateBundle as { handler: (this: unknown, options: unknown, bundle: Rolldown.OutputBundle) => void };
		const errors: string[] = [];
		const context = { error: (message: string) => errors.push(message) };
		hook.handler.call(context, {}, bundle);
		expect(errors).toEqual([]);
		expect(preload.resolveDependencies('news.js', ['news.js', 'list.js'], { hostId: 'page.js', hostType: 'js' })).toEqual([]);

		const moved = modulePreload({ unhurried: ['src/routes/Gone.svelte'] });
		(moved.plugin.generateBundle as typeof hook).handler.call(context, {}, bundle);
		expect(errors).toEqual(['module preload: no chunk of its own for src/routes/Gone.svelte']);
	});
});
