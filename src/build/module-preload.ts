// What a lazily loaded part of the app asks the browser to fetch ahead. Vite lists, for each
// dynamic import, every chunk the imported one needs, and its helper adds a <link rel=modulepreload>
// for each one no link names yet: also for chunks the importing chunk itself imports, which are
// loaded and run by the time its code asks. On the cheap phone (bench/member-device.ts) each such
// link cost 2 to 4 ms of main thread in a trace, and the home page's two lazy parts added about 70
// of them while it opened offline. Only the chunks not yet loaded are worth a link.
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

export function modulePreload(): ModulePreload {
	// Chunk names of the server and the client build differ (the client's are under _app/), so one
	// table serves both builds of a run.
	const imports = new Map<string, readonly string[]>();
	return {
		plugin: {
			name: 'noaber:module-preload',
			apply: 'build',
			generateBundle: {
				// Before Vite's own step that writes each dynamic import's list (and asks for it).
				order: 'pre',
				handler(_options, bundle) {
					for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') imports.set(chunk.fileName, [...chunk.imports]);
				}
			}
		},
		resolveDependencies(_file, deps, { hostId, hostType }) {
			return hostType === 'js' ? stillToLoad(deps, hostId, imports) : deps;
		}
	};
}
