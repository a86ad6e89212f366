// The version of this relay, from package.json: in export manifests and for `noaber --version`.
// Looked up from this module's own place: the sources (relay/) and the compiled relay
// (relay-build/, its chunks one folder deeper) sit at different depths below the project.
import { readFileSync } from 'node:fs';

export function appVersion(): string {
	for (let up = 1; up <= 3; up++) {
		try {
			const pkg = JSON.parse(readFileSync(new URL(`${'../'.repeat(up)}package.json`, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
			if (pkg.name === 'noaber' && typeof pkg.version === 'string') return pkg.version;
		} catch {
			// not at this depth
		}
	}
	return 'noaber';
}
