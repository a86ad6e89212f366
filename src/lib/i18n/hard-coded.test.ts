// Every text a resident sees comes from the translation files: this reads each component and
// page and lists text in the markup, and in user-visible attributes, that is not an expression.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './source-files.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'label']);
/** Symbols and separators between expressions, not words. */
const ALLOWED = /^[\s·—–‹›,.:;()/+\-|…!?#%&*'"]*$/u;

type Node = { type: string; data?: string; name?: string; value?: unknown; start: number; [key: string]: unknown };

const hidden = (element: Node): boolean =>
	Array.isArray(element.attributes) &&
	(element.attributes as Node[]).some(
		(a) => a.type === 'Attribute' && a.name === 'aria-hidden' && Array.isArray(a.value) && (a.value as Node[])[0]?.data === 'true'
	);

function findings(source: string): string[] {
	const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
	const out: string[] = [];
	const visit = (node: unknown, parent?: Node) => {
		if (!node || typeof node !== 'object') return;
		if (Array.isArray(node)) return node.forEach((n) => visit(n, parent));
		const n = node as Node;
		// Inside an SVG drawing <text> is a picture, and what is hidden from screen readers (the
		// logo's "N") is decoration, not a sentence.
		if (n.type === 'RegularElement' && (n.name === 'style' || n.name === 'script' || n.name === 'svg')) return;
		if (n.type === 'RegularElement' && hidden(n)) return;
		if (n.type === 'Text' && parent?.type !== 'Attribute') {
			const text = (n.data ?? '').trim();
			if (text && !ALLOWED.test(text) && /\p{L}/u.test(text)) out.push(text);
		}
		if (n.type === 'Attribute' && VISIBLE_ATTRIBUTES.has(String(n.name)) && Array.isArray(n.value)) {
			for (const part of n.value as Node[]) {
				if (part.type === 'Text' && /\p{L}/u.test(part.data ?? '')) out.push(`${n.name}="${part.data}"`);
			}
		}
		for (const [key, value] of Object.entries(n)) {
			if (key !== 'type' && typeof value === 'object') visit(value, n);
		}
	};
	visit(ast.fragment);
	return out;
}

describe('the interface text', () => {
	it('comes from the translation files, in every component and page', () => {
		const found = [join(ROOT, 'lib'), join(ROOT, 'routes')]
			.flatMap((dir) => sourceFiles(dir, /\.svelte$/))
			.flatMap((file) => findings(readFileSync(file, 'utf8')).map((text) => `${relative(ROOT, file)}: ${text}`));
		expect(found).toEqual([]);
	});

	it('would notice a word typed straight into the markup', () => {
		expect(findings('<p>Welkom</p><p>{t("ok")}</p><button aria-label="Sluiten">x</button>')).toEqual(['Welkom', 'aria-label="Sluiten"', 'x']);
		expect(findings('<p>{a} · {b}</p><svg><text>N</text></svg><span aria-hidden="true">N</span><style>p { color: red }</style>')).toEqual([]);
	});
});
