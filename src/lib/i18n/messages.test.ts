// The two translation files stay in step with each other and with the code: a text added in
// Dutch needs its English with the same placeholders, every text is used, and every call fills
// the placeholders its text has. Otherwise readers would silently get Dutch, or "undefined".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { sourceFiles } from './source-files.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', 'messages');
const read = (language: string): Record<string, string> => {
	const { $schema: _schema, ...messages } = JSON.parse(readFileSync(join(ROOT, `${language}.json`), 'utf8')) as Record<string, string>;
	return messages;
};
const SRC = join(import.meta.dirname, '..', '..');
// Read once: two tests look through the same files.
let cached: string[] | undefined;
const sources = (): string[] => (cached ??= sourceFiles(SRC, /\.(svelte|ts)$/).map((file) => readFileSync(file, 'utf8')));
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
		// The relay speaks to people too: phone notifications, e-mail, the unsubscribe page.
		const relay = sourceFiles(join(SRC, '..', 'relay'), /\.ts$/).map((file) => readFileSync(file, 'utf8'));
		const code = [...sources(), ...relay].join('\n');
		// Keys built at run time (`help.status.${status}`) count for every key under their prefix.
		const prefixes = [...code.matchAll(/`([\w.-]+\.)\$\{/g)].map((match) => match[1]);
		const unused = Object.keys(nl).filter(
			(key) => !code.includes(`'${key}'`) && !code.includes(`"${key}"`) && !prefixes.some((prefix) => key.startsWith(prefix))
		);
		expect(unused).toEqual([]);
	});

	it('compile to exactly the text written in the files, in both languages', () => {
		const differing: string[] = [];
		for (const [language, messages] of [['nl', nl], ['en', en]] as const) {
			for (const [key, text] of Object.entries(messages)) {
				const params = Object.fromEntries(placeholders(text).map((name) => [name, `<${name}>`]));
				const expected = text.replace(/\{(\w+)\}/g, '<$1>').replace(/\\([{}\\])/g, '$1');
				const compiled = (m as unknown as Record<string, (p: object, o: object) => string>)[key](params, { locale: language });
				if (compiled !== expected) differing.push(`${language} ${key}: ${compiled}`);
			}
		}
		expect(differing).toEqual([]);
	});

	it('get every placeholder filled where the code asks for them', () => {
		// t('key', { name, count: n }): the object's top-level names, against the message's placeholders.
		const call = /\bt\(\s*'([\w.-]+)'\s*(?:,\s*\{((?:[^{}]|\{[^{}]*\})*)\})?\s*\)/g;
		const wrong: string[] = [];
		for (const code of sources()) {
			for (const [, key, params = ''] of code.matchAll(call)) {
				if (!(key in nl)) {
					wrong.push(`${key}: no such text`);
					continue;
				}
				const given = topLevel(params);
				if (given.includes('...')) continue;
				if ([...new Set(placeholders(nl[key]))].join() !== [...new Set(given)].sort().join()) wrong.push(`${key}: given ${given.join(', ') || 'nothing'}`);
			}
		}
		expect(wrong).toEqual([]);
	});
});

/** The property names at the top level of an object literal's body ("name: f(a, b), count"). */
function topLevel(body: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let current = '';
	for (const char of body) {
		if ('({['.includes(char)) depth += 1;
		if (')}]'.includes(char)) depth -= 1;
		if (char === ',' && depth === 0) {
			parts.push(current);
			current = '';
		} else current += char;
	}
	parts.push(current);
	return parts
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => (part.startsWith('...') ? '...' : (/^(\w+)\s*:/.exec(part)?.[1] ?? part)));
}
