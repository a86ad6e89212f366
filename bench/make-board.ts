// Generates a seeded board and saves it: <period>.automerge files and index.json (help-files.ts).
// Run: npx tsx bench/make-board.ts --out <folder> [--seed 20261128] [--scale 1] [--workers 2]
import { benchArgs } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';
import { saveGenerated } from './help-files.ts';

const args = benchArgs();
if (!args.out) {
	console.error('Usage: npx tsx bench/make-board.ts --out <folder> [--seed n] [--scale 1] [--workers 2]');
	process.exit(1);
}
const started = performance.now();
const generated = await generateParallel(args.seed, args.scale, args.workers);
const index = saveGenerated(args.out, generated);
const total = index.periods.reduce((n, p) => n + p.bytes, 0);
console.log(
	`${generated.counts.posts} posts, ${generated.counts.responses} responses, ${generated.counts.changes} changes in ` +
		`${index.periods.length} quarters (seed ${args.seed}): ${(total / 1024 / 1024).toFixed(1)} MB in ${args.out}, ` +
		`${Math.round(performance.now() - started)} ms`
);
