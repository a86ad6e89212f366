// The app reads the translation files itself (one language per device); Paraglide compiles the
// same files for the relay's own messages. Both must give every resident the same sentence.
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { textsIn } from './every-language.ts';
import { LANGUAGES, fill, say, textKeys, textsOf } from './texts.ts';

type Compiled = (inputs: Record<string, string>, options: { locale: 'nl' | 'en' }) => string;

describe('texts', () => {
	it('read every message of both languages as Paraglide compiles it, placeholders filled', () => {
		const differing: string[] = [];
		let compared = 0;
		for (const language of LANGUAGES) {
			const texts = textsIn(language);
			for (const key of textKeys(texts)) {
				const template = texts.templates[key] as string;
				const params = Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, `«${name}»`]));
				const compiled = (m as unknown as Record<string, Compiled | undefined>)[key];
				if (!compiled || say(texts, key, params) !== compiled(params, { locale: language })) differing.push(`${language} ${key}`);
				compared += 1;
			}
		}
		expect(differing).toEqual([]);
		expect(compared).toBeGreaterThan(2000);
	});

	it('keep a brace typed with a backslash, and show a missing text as its key', () => {
		expect(fill('https://tile.example/\\{z\\}/{x}.png', { x: 3 })).toBe('https://tile.example/{z}/3.png');
		expect(say(textsIn('nl'), 'no.such.text')).toBe('no.such.text');
		expect(say(textsIn('en'), 'lang.switch')).not.toBe(say(textsIn('nl'), 'lang.switch'));
	});

	it('take the file’s $schema line, or anything that is not a line of text, for no text', () => {
		const texts = textsOf('nl', { $schema: 'https://inlang.com/schema/inlang-message-format', greeting: 'Hallo {name}', variants: { one: 'x' } });
		expect(textKeys(texts)).toEqual(['greeting']);
		expect(say(texts, '$schema')).toBe('$schema');
		expect(say(texts, 'variants')).toBe('variants');
		expect(say(texts, 'toString')).toBe('toString');
		expect(say(texts, 'greeting', { name: 'Ans' })).toBe('Hallo Ans');
	});
});
