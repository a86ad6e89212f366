import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { cleanLine, cleanLines, clip, isEmail, isLine, isLines, isPhone, isUid, lineInput, linesInput } from './plain-text.ts';
import { line, lines } from './stored-text.ts';

const HOSTILE = ['\u0000', '\u0007', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\u202e', '\u2067', '\ufffe', '\ud800', '\udfff'];

describe('text a person can read', () => {
	it('takes Dutch, Arabic, Turkish and emoji text on one line, with a tab', () => {
		for (const text of ['Koffieochtend in café "De Linde"', 'Ömer’s ﬁetsreparatie', 'مقهى الحي', 'Bingo 🎉👩‍👩‍👧', 'Kosten:\t€ 2,50', '']) {
			expect(isLine(text), text).toBe(true);
			expect(cleanLine(text)).toBe(text);
		}
	});

	it('refuses line breaks in one-line text and every other control character anywhere', () => {
		for (const bad of ['\r', '\n', ...HOSTILE]) expect(isLine(`Bingo${bad}avond`), JSON.stringify(bad)).toBe(false);
		for (const bad of ['\r', ...HOSTILE]) expect(isLines(`Bingo${bad}avond`), JSON.stringify(bad)).toBe(false);
		expect(isLines('Eerste regel\nTweede regel\n\tmet tab')).toBe(true);
	});

	it('cleans what is typed or pasted: line breaks become one kind, controls go', () => {
		expect(cleanLine('Koffie\r\nen\u2028koek\u0007')).toBe('Koffie en koek');
		expect(cleanLines('Koffie\r\nen\rkoek\u2029thee\u000b\u202e!')).toBe('Koffie\nen\nkoek\nthee!');
		expect(cleanLines('emoji 😀 blijft, halve \ud83d niet')).toBe('emoji 😀 blijft, halve  niet');
		for (const bad of HOSTILE) {
			expect(isLine(cleanLine(`a${bad}b\r\nc`))).toBe(true);
			expect(isLines(cleanLines(`a${bad}b\r\nc`))).toBe(true);
		}
	});

	it('forms clean and then count; stored text is checked and refused', () => {
		expect(v.parse(lineInput(10), '  Bingo\u0007 ')).toBe('Bingo');
		expect(v.safeParse(lineInput(3), 'Bingo').issues?.[0].message).toBe('too_long');
		expect(v.parse(linesInput(100), 'a\r\nb')).toBe('a\nb');
		expect(v.is(line(20), 'Bingo')).toBe(true);
		expect(v.is(line(20), imm('Bingo'))).toBe(true);
		expect(v.is(line(20), 'Bingo\r\nBEGIN:VEVENT')).toBe(false);
		expect(v.is(line(3), 'Bingo')).toBe(false);
		expect(v.is(line(20), 42)).toBe(false);
		// A long description keeps its text and loses the odd character.
		expect(v.parse(lines(100), 'Koffie\r\nthee\u0000')).toBe('Koffie\nthee');
		expect(v.is(lines(3), 'Koffie')).toBe(false);
	});

	it('knows UIDs, phone numbers and e-mail addresses as they are stored', () => {
		for (const uid of ['abc-123@noaber', '040000008200E00074C5B7101A82E008', '{6E5C7D5A-1B2C}', 'a,b;c\\d@example.org']) expect(isUid(uid), uid).toBe(true);
		for (const uid of ['', ' abc', 'abc ', 'a\tb', 'x\r\nBEGIN:VEVENT', 'x\u0000', 'x'.repeat(256)]) expect(isUid(uid), JSON.stringify(uid)).toBe(false);
		for (const phone of ['', '+31 20 123 45 67', '(020) 123-4567', '06.12.34.56.78']) expect(isPhone(phone), phone).toBe(true);
		for (const phone of ['bel 020', '020\n123', '+31 20 123 45 67 ' + '8'.repeat(30), 'javascript:1']) expect(isPhone(phone), phone).toBe(false);
		for (const email of ['', 'info@lindenbuurt.nl', 'jan.de-vries+buurt@post.example.nl']) expect(isEmail(email), email).toBe(true);
		for (const email of ['geen adres', 'a@b\r\nBcc: c@d', 'a@b@c', 'a b@c.nl', '<a@b.nl>', 'info@lindenbuurt', 'ömer@voorbeeld.nl']) expect(isEmail(email), email).toBe(false);
	});

	it('cuts a long text without leaving half an emoji', () => {
		expect(clip('ab😀', 3)).toBe('ab');
		expect(clip('ab😀', 4)).toBe('ab😀');
		expect(isLine(clip('ab😀', 3))).toBe(true);
	});
});
