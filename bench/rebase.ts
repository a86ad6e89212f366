// What it costs a device to take a refused change out of a busy quarter's help document and make
// its later edits again (automerge/rebase.ts): one document of --posts posts (one change each,
// ImmutableString fields, as the app writes them), then a refused change and --later edits by the
// device, some made while another member's edits arrived (the slower, forked replay).
// Run: npx tsx bench/rebase.ts [--posts 2000] [--later 20]
import '@automerge/automerge';
import * as A from '@automerge/automerge/slim';
import { parseArgs } from 'node:util';
import { rebase } from '../src/lib/automerge/rebase.ts';
import { fmt, reporter, timed } from './timing.ts';

const { values } = parseArgs({ options: { posts: { type: 'string', default: '2000' }, later: { type: 'string', default: '20' } } });
const posts = Number(values.posts);
const later = Number(values.later);
const imm = (s: string) => new A.ImmutableString(s);
const { report, table } = reporter();

type Board = { posts: Record<string, Record<string, unknown>> };
let shared = A.change(A.init<Board>(), (d) => (d.posts = {}));
for (let i = 0; i < posts; i++)
	shared = A.change(shared, (d) => {
		d.posts[`post-${i}`] = { title: `Hulp gevraagd ${i}`, kind: imm('request'), status: imm('open'), author: imm(`m${i % 50}`), at: imm(new Date(i * 1000).toISOString()) };
	});
report('board', `${posts} posts, ${A.getAllChanges(shared).length} changes`);

let device = A.clone(shared);
let other = A.clone(shared);
device = A.change(device, (d) => (d.posts['post-1'].status = imm('hidden')));
const refused = A.getHeads(device)[0];
for (let i = 0; i < later; i++) {
	device = A.change(device, (d) => (d.posts[`post-${i + 2}`].status = imm('agreed')));
	if (i % 5 === 4) {
		other = A.change(other, (d) => (d.posts[`post-${posts - i - 1}`].status = imm('done')));
		device = A.merge(device, other);
	}
}

const [result, ms] = timed(5, () => rebase(device, [refused]), (r) => A.free(r.doc));
report(`rebase (${later} later edits, ${result.replayed} replayed)`, fmt(ms));
report('per replayed edit', fmt(ms / Math.max(1, result.replayed)));
table();
