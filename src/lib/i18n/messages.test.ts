// The two translation files stay in step: a text added in Dutch needs its English, with the
// same placeholders, or English readers would silently get Dutch or a missing name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..', 'messages');
const read = (language: string): Record<string, string> => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(join(ROOT, `${language}.json`), 'utf8')) as Record<string, string>;
	return messages;
};
const SRC = join(import.meta.dirname, '..', '..');
function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return path.endsWith('paraglide') ? [] : sources(path);
		return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [readFileSync(path, 'utf8')] : [];
	});
}
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the translation files', () => {
	const nl = read('nl');
	const en = read('en');

	it('have the same texts in Dutch and English', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
	});

	it('use the same placeholders in both languages', () => {
		const differing = Object.keys(nl).filter((key) => placeholders(nl[key]).join() !== placeholders(en[key] ?? '').join());
		expect(differing).toEqual([]);
	});

	it('have no empty texts', () => {
		const empty = [...Object.entries(nl), ...Object.entries(en)].filter(([, text]) => !text.trim()).map(([key]) => key);
		expect(empty).toEqual([]);
	});

	it('keep Dutch sentences short, as plain language asks', () => {
		const long = Object.entries(nl)
			.flatMap(([key, text]) => text.split(/(?<=[.!?])\s+/).map((sentence) => [key, sentence] as const))
			.filter(([, sentence]) => sentence.split(/\s+/).length > 20)
			.map(([key, sentence]) => `${key}: ${sentence}`);
		expect(long).toEqual([]);
	});

	it('hold no texts that nothing shows', () => {
		const code = sources(SRC).join('\n');
		// Keys built at run time (`help.status.${status}`) count for every key under their prefix.
		const prefixes = [...code.matchAll(/`([\w.-]+\.)\$\{/g)].map((match) => match[1]);
		const unused = Object.keys(nl).filter(
			(key) => !code.includes(`'${key}'`) && !code.includes(`"${key}"`) && !prefixes.some((prefix) => key.startsWith(prefix))
		);
		expect(unused).toEqual([]);
	});
});
