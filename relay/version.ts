// The version of this relay, from package.json: in export manifests and for `noaber --version`.
import { readFileSync } from 'node:fs';

export function appVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
		return typeof pkg.version === 'string' ? pkg.version : 'noaber';
	} catch {
		return 'noaber';
	}
}
