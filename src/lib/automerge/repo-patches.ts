// Two changes the app's build makes to automerge-repo 2.5.6, both where a document opens, both
// for the cheap phone (bench/member-device.ts): one year of the ten-year agenda took 7 s to open
// offline, of which 1.2 s went to building it patch by patch and 1.9 s to a diff nobody reads.
// The relay, the tests and the dev server keep the package as it is. The build stops when a
// package update changed the code a change is made to: see what the new version does first.
import type { Plugin } from 'vite';

export interface SourceChange {
	/** The package file, as its path ends. */
	file: RegExp;
	/** The code as the package has it, once. */
	stock: string;
	replacement: string;
}

/**
 * The storage subsystem opens a stored document with `loadIncremental(init(), bytes)`: Automerge
 * builds the whole document as patches and applies them one by one. A plain `load` builds it at
 * once, about twice as fast. What `load` refuses and the stock way lets pass (changes missing what
 * they build on, a chunk cut short) still takes the stock way, so whatever opened before opens now.
 */
export const PLAIN_LOAD: SourceChange = {
	file: /@automerge[\\/]automerge-repo[\\/]dist[\\/]storage[\\/]StorageSubsystem\.js$/,
	stock: 'A.loadIncremental(A.init(), binary)',
	replacement: '(() => { try { return A.load(binary, { allowMissingChanges: true }); } catch { return A.loadIncremental(A.init(), binary); } })()'
};

/**
 * A handle announces each change with its patches: for a document that just arrived (from storage
 * or a relay), the patches of everything in it. Nothing in Noaber reads them, and automerge-repo
 * only listens for the change itself. For a document from nothing they are now worked out when a
 * listener asks; the change is announced as before (also when it would have had no patches).
 */
export const PATCHES_WHEN_READ: SourceChange = {
	file: /@automerge[\\/]automerge-repo[\\/]dist[\\/]DocHandle\.js$/,
	stock: `            const patches = A.diff(after, beforeHeads, afterHeads);
            if (patches.length > 0) {
                this.emit("change", {
                    handle: this,
                    doc: after,
                    patches,`,
	replacement: `            const fromNothing = beforeHeads.length === 0;
            let patches = fromNothing ? undefined : A.diff(after, beforeHeads, afterHeads);
            if (fromNothing || patches.length > 0) {
                this.emit("change", {
                    handle: this,
                    doc: after,
                    get patches() { return (patches ??= A.diff(after, beforeHeads, afterHeads)); },`
};

export const REPO_CHANGES = [PLAIN_LOAD, PATCHES_WHEN_READ];

/** `code` with `change` made; throws when the stock code is not there exactly once. */
export function changed(code: string, change: SourceChange): string {
	const at = code.indexOf(change.stock);
	if (at < 0 || code.indexOf(change.stock, at + 1) >= 0) {
		throw new Error(`automerge-repo changed: "${change.stock.trim().split('\n')[0]}" is not in it exactly once. Check src/lib/automerge/repo-patches.ts against the new version.`);
	}
	return code.slice(0, at) + change.replacement + code.slice(at + change.stock.length);
}

export function repoPatches(): Plugin {
	const made = new Set<SourceChange>();
	return {
		name: 'noaber:automerge-repo-patches',
		apply: 'build',
		transform(code, id) {
			const path = id.split('?')[0];
			const change = REPO_CHANGES.find((c) => c.file.test(path));
			if (!change) return undefined;
			made.add(change);
			return { code: changed(code, change), map: null };
		},
		buildEnd(error) {
			// The client build bundles the repository; the server side of a static app may not.
			if (error || this.environment?.name !== 'client') return;
			const missed = REPO_CHANGES.filter((c) => !made.has(c));
			if (missed.length > 0) this.error(`automerge-repo files not in the client build: ${missed.map((c) => c.file.source).join(', ')}`);
		}
	};
}
