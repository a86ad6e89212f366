// What one heap snapshot holds more than another, by kind of object (a constructor, a kind of
// string or array), with counts and own sizes: for instance a relay with 20 readers against the
// same relay with 200 (bench/relay-memory.ts writes them with NOABER_BENCH_SNAPSHOTS).
//   npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [--per 180] [--top 40]
import { readFileSync } from 'node:fs';
import { count } from './arguments.ts';

interface Snapshot {
	snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
	nodes: number[];
	strings: string[];
}

/** Count and own size of each kind of node. */
function kinds(file: string): Map<string, { count: number; size: number }> {
	const heap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
	const fields = heap.snapshot.meta.node_fields;
	const width = fields.length;
	const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
	const types = heap.snapshot.meta.node_types[0];
	const found = new Map<string, { count: number; size: number }>();
	for (let i = 0; i < heap.nodes.length; i += width) {
		const type = types[heap.nodes[i + typeAt]];
		// Strings and code by their kind, not their text: what matters is how many more there are.
		const name = type === 'object' || type === 'closure' || type === 'native' || type === 'array' || type === 'hidden' ? heap.strings[heap.nodes[i + nameAt]] : '';
		const key = `${type}${name ? ` ${name.slice(0, 60)}` : ''}`;
		const entry = found.get(key) ?? { count: 0, size: 0 };
		entry.count += 1;
		entry.size += heap.nodes[i + sizeAt];
		found.set(key, entry);
	}
	return found;
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
	console.error('usage: npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [--per 180] [--top 40]');
	process.exit(1);
}
const per = count('per', 1);
const top = count('top', 40);
const before = kinds(beforeFile);
const after = kinds(afterFile);
const rows = [...new Set([...before.keys(), ...after.keys()])]
	.map((key) => ({ key, count: (after.get(key)?.count ?? 0) - (before.get(key)?.count ?? 0), size: (after.get(key)?.size ?? 0) - (before.get(key)?.size ?? 0) }))
	.sort((a, b) => b.size - a.size);
const total = rows.reduce((sum, row) => sum + row.size, 0);
console.log(`More in the second: ${(total / 1024).toFixed(1)} KB${per > 1 ? `, ${(total / per).toFixed(0)} bytes per each of ${per}` : ''}.`);
console.log(`| kind | more | bytes more${per > 1 ? ' | per each (count, bytes)' : ''} |`);
for (const row of rows.slice(0, top)) {
	console.log(`| ${row.key} | ${row.count} | ${row.size}${per > 1 ? ` | ${(row.count / per).toFixed(2)}, ${(row.size / per).toFixed(0)}` : ''} |`);
}
