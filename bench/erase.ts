// Erasing one member from the ten-year help board (issue #14, "Figures"): how long the history
// rewrite takes (src/lib/erase/rewrite.ts) and the stored bytes before and after, for the member
// who wrote the most. The relay does this once per erasure, for every quarter that held the member.
//
//   npx tsx bench/erase.ts [--scale 0.1] [--workers 2] [--seed 7]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { performance } from 'node:perf_hooks';
import { boardScrubs } from '../src/lib/help/erase.ts';
import type { HelpDoc } from '../src/lib/help/document.ts';
import { rewriteHistory } from '../src/lib/erase/rewrite.ts';
import { benchArgs } from './generate-help.ts';
import { generateParallel } from './generate-parallel.ts';

const args = benchArgs();
const started = performance.now();
const board = await generateParallel(args.seed, args.scale, args.workers);
console.log(`board: ${board.counts.posts} posts, ${board.counts.responses} responses, ${board.counts.changes} changes in ${board.periods.length} quarters (made in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

const docs = board.periods.map((p) => A.load<HelpDoc>(p.bytes));
// The member who wrote most: posts and responses.
const written = new Map<string, number>();
for (const doc of docs) {
	for (const post of Object.values(doc.posts)) {
		written.set(String(post.author), (written.get(String(post.author)) ?? 0) + 1);
		for (const r of Object.values(post.responses)) written.set(String(r.by), (written.get(String(r.by)) ?? 0) + 1);
	}
}
const [member, count] = [...written].sort((a, b) => b[1] - a[1])[0]!;
console.log(`erasing the member who wrote most: ${count} posts and responses`);

let ms = 0;
let before = 0;
let after = 0;
let rewrittenDocs = 0;
let gone = 0;
const perDoc: number[] = [];
for (const doc of docs) {
	const t0 = performance.now();
	const scrubs = boardScrubs(doc, member);
	const result = scrubs.length ? rewriteHistory(doc, scrubs) : { doc, gone: [] as string[] };
	const savedAfter = A.save(result.doc);
	const took = performance.now() - t0;
	ms += took;
	before += A.save(doc).byteLength;
	after += savedAfter.byteLength;
	if (result.gone.length) {
		rewrittenDocs += 1;
		gone += result.gone.length;
		perDoc.push(took);
	}
}
perDoc.sort((a, b) => a - b);
const q = (p: number) => perDoc[Math.min(perDoc.length - 1, Math.floor(p * perDoc.length))] ?? 0;
console.log(`rewrote ${rewrittenDocs} of ${docs.length} quarters (${gone} changes got a new hash) in ${(ms / 1000).toFixed(2)} s, saving included`);
console.log(`per rewritten quarter: p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${q(1).toFixed(0)} ms`);
console.log(`stored bytes before ${(before / 1e6).toFixed(2)} MB, after ${(after / 1e6).toFixed(2)} MB`);
