// The app's own source files, for the tests that read the code: which texts it uses, and that
// none is typed straight into the markup. Generated translations and tests are not the app.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function sourceFiles(dir: string, name: RegExp): string[] {
	return readdirSync(dir).flatMap((entry) => {
		const path = join(dir, entry);
		if (statSync(path).isDirectory()) return entry === 'paraglide' ? [] : sourceFiles(path, name);
		return name.test(entry) && !entry.endsWith('.test.ts') ? [path] : [];
	});
}
