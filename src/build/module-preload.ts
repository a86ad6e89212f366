// What a lazily loaded part of the app asks the browser to fetch ahead. Vite lists, for each
// dynamic import, every chunk the imported one needs, and its helper adds a <link rel=modulepreload>
// for each one no link names yet: also for chunks the importing chunk itself imports, which are
// loaded and run by the time its code asks. On the cheap phone (bench/member-device.ts) each such
// link cost 2 to 4 ms of main thread in a trace, and the home page's two lazy parts added about 70
// of them while it opened offline. Only the chunks not yet loaded are worth a link; and none for
// a part that shows only once the documents are open: without links the browser finds its files
// as it loads it, a few at a time, in tasks short enough for a tap to come through.
import { relative } from 'node:path';
import type { Plugin } from 'vite';

/** A chunk's static imports, by the chunk's file name in the bundle. */
export type StaticImports = ReadonlyMap<string, readonly string[]>;

/** `file` and every chunk it imports statically, however deep: all loaded once `file` runs. */
export function loadedWith(file: string, imports: StaticImports): Set<string> {
	const loaded = new Set<string>();
	const visit = (name: string) => {
		if (loaded.has(name)) return;
		loaded.add(name);
		for (const next of imports.get(name) ?? []) visit(next);
	};
	visit(file);
	return loaded;
}

/** The chunks of `deps` that importing from `host` still has to fetch. */
export function stillToLoad(deps: readonly string[], host: string, imports: StaticImports): string[] {
	const loaded = loadedWith(host, imports);
	return deps.filter((dep) => !loaded.has(dep));
}

export interface ModulePreload {
	/** Learns each chunk's static imports as the bundle is written. */
	plugin: Plugin;
	/** For Vite's `build.modulePreload.resolveDependencies`. */
	resolveDependencies(file: string, deps: string[], context: { hostId: string; hostType: 'html' | 'js' }): string[];
}

export interface PreloadOptions {
	/** Source files (from Vite's root, the project's folder) whose lazy loading gets no links ahead. */
	unhurried?: readonly string[];
}

export function modulePreload(options: PreloadOptions = {}): ModulePreload {
	const unhurried = new Set(options.unhurried ?? []);
	// Chunk names of the server and the client build differ (the client's are under _app/), so one
	// table serves both builds of a run.
	const imports = new Map<string, readonly string[]>();
	/** The chunks whose module is one of `unhurried`. */
	const slow = new Set<string>();
	let root = process.cwd();
	return {
		plugin: {
			name: 'noaber:module-preload',
			apply: 'build',
			configResolved(config) {
				root = config.root;
			},
			generateBundle: {
				// Before Vite's own step that writes each dynamic import's list (and asks for it).
				order: 'pre',
				handler(_options, bundle) {
					const found = new Set<string>();
					for (const chunk of Object.values(bundle)) {
						if (chunk.type !== 'chunk') continue;
						imports.set(chunk.fileName, [...chunk.imports]);
						const source = chunk.facadeModuleId ? relative(root, chunk.facadeModuleId).split('\\').join('/') : undefined;
						if (source && unhurried.has(source)) {
							slow.add(chunk.fileName);
							found.add(source);
						}
					}
					// A file moved or renamed would quietly get its links back.
					const missing = [...unhurried].filter((source) => !found.has(source));
					if (missing.length > 0) this.error(`module preload: no chunk of its own for ${missing.join(', ')}`);
				}
			}
		},
		resolveDependencies(file, deps, { hostId, hostType }) {
			if (hostType !== 'js') return deps;
			return slow.has(file) ? [] : stillToLoad(deps, hostId, imports);
		}
	};
}
