// automerge-repo 2.5.6 opens a stored document with `loadIncremental(init(), bytes)`: Automerge
// then builds the whole document as patches and applies them one by one. A plain `load` builds it
// at once, about twice as fast (bench/member-device.ts: a year of the ten-year agenda took 5 s on
// the cheap phone). The build puts this loader in place of that one call; the relay, the tests and
// the dev server keep the package's own.
import type { Plugin } from 'vite';

/** The one call in automerge-repo's storage subsystem (`loadDoc`) that this replaces. */
export const STOCK_LOAD = 'A.loadIncremental(A.init(), binary)';

/**
 * What goes in its place. `load` refuses what `loadIncremental` on an empty document lets pass (a
 * chunk cut short, changes whose dependencies are not stored yet): those take the stock way, so
 * whatever opened before opens now.
 */
export const PLAIN_LOAD =
	'(() => { try { return A.load(binary, { allowMissingChanges: true }); } catch { return A.loadIncremental(A.init(), binary); } })()';

const SUBSYSTEM = /@automerge[\\/]automerge-repo[\\/]dist[\\/]storage[\\/]StorageSubsystem\.js$/;

/** The storage subsystem's code with the plain loader; throws when the call is not there as expected. */
export function withPlainLoad(code: string): string {
	const at = code.indexOf(STOCK_LOAD);
	if (at < 0 || code.indexOf(STOCK_LOAD, at + 1) >= 0) {
		throw new Error(`automerge-repo's StorageSubsystem no longer calls ${STOCK_LOAD} exactly once: check src/lib/automerge/stored-load.ts against the new version`);
	}
	return code.replace(STOCK_LOAD, PLAIN_LOAD);
}

export function plainStoredLoad(): Plugin {
	let patched = false;
	return {
		name: 'noaber:automerge-plain-stored-load',
		apply: 'build',
		transform(code, id) {
			if (!SUBSYSTEM.test(id.split('?')[0])) return undefined;
			patched = true;
			return { code: withPlainLoad(code), map: null };
		},
		buildEnd(error) {
			// The client build bundles the repository; a build without it (the server side of a
			// static app) has nothing to patch.
			if (!error && !patched && this.environment?.name === 'client') this.error('automerge-repo’s StorageSubsystem was not part of the client build');
		}
	};
}
