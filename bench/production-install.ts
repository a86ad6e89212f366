// Figures of issue #16: what a production install of the relay holds, for two versions of the
// project in one run. For each git revision, its package.json and package-lock.json go into an
// empty folder, `npm ci --omit=dev --omit=optional` installs what they name for production, and the size of
// node_modules and the number of packages in it are counted.
//   npx tsx bench/production-install.ts --rev before=<commit> --rev after=HEAD
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rev: { type: 'string', multiple: true, default: ['before=HEAD~1', 'after=HEAD'] } } });

async function sizeOf(path: string): Promise<number> {
	const info = await stat(path);
	if (!info.isDirectory()) return info.size;
	const entries = await readdir(path);
	const sizes = await Promise.all(entries.map((e) => sizeOf(join(path, e))));
	return sizes.reduce((a, b) => a + b, 0);
}

async function packagesIn(modules: string): Promise<number> {
	let count = 0;
	for (const entry of await readdir(modules)) {
		if (entry.startsWith('.')) continue;
		if (entry.startsWith('@')) count += (await readdir(join(modules, entry))).length;
		else count += 1;
	}
	return count;
}

console.log('| version | packages | node_modules | has tsx / typescript |');
console.log('|---|---|---|---|');
for (const given of values.rev) {
	const [name, rev] = given.includes('=') ? (given.split('=', 2) as [string, string]) : [given, given];
	const dir = await mkdtemp(join(tmpdir(), 'noaber-install-'));
	try {
		for (const file of ['package.json', 'package-lock.json']) {
			await writeFile(join(dir, file), execFileSync('git', ['show', `${rev}:${file}`]));
		}
		execFileSync('npm', ['ci', '--omit=dev', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
		const modules = join(dir, 'node_modules');
		const bytes = await sizeOf(modules);
		const has = async (p: string) => stat(join(modules, p)).then(() => 'yes', () => 'no');
		console.log(`| ${name} (${rev}) | ${await packagesIn(modules)} | ${(bytes / 1e6).toFixed(1)} MB | ${await has('tsx')} / ${await has('typescript')} |`);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
