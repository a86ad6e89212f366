import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessibilityStatement, compliance, FACTS } from './accessibility.ts';
import { statementText } from './plain-text.ts';
import type { NeighbourhoodDetails } from './statement.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const e2e = (file: string) => readFileSync(join(ROOT, 'tests', 'e2e', file), 'utf8');
const lindenbuurt: NeighbourhoodDetails = { name: 'Lindenbuurt', contact: { name: 'Fatima de Vries', phone: '020 123 4567', hours: '' } };
const formatDate = (day: string) => `<${day}>`;

describe('the accessibility statement', () => {
	it('follows the model: app, status against WCAG 2.1 AA and EN 301 549, date, method, known problems, contact', () => {
		const sections = accessibilityStatement({ neighbourhood: lindenbuurt, formatDate });
		expect(sections.map((s) => s.id)).toEqual(['over', 'status', 'datum', 'onderzoek', 'handmatig', 'problemen', 'melden']);
		const text = statementText(sections, 'nl');
		expect(text).toContain('Lindenbuurt wil dat iedereen Noaber kan gebruiken.');
		expect(text).toContain('Noaber voldoet gedeeltelijk aan WCAG 2.1 niveau AA. Die eisen staan in de Europese norm EN 301 549.');
		expect(text).toContain('status B: voldoet gedeeltelijk');
		expect(text).toContain(`gemaakt op <${FACTS.date}>`);
		expect(text).toContain('Neem contact op met Fatima de Vries van Lindenbuurt.');
		expect(sections.find((s) => s.id === 'melden')?.phone).toBe('020 123 4567');
		expect(statementText(sections, 'en')).toContain('Noaber partially meets WCAG 2.1 level AA.');
	});

	it('claims full compliance only after a full check by hand with no known problem left', () => {
		expect(compliance(FACTS)).toBe('partial');
		expect(compliance({ ...FACTS, audited: true })).toBe('partial');
		expect(compliance({ ...FACTS, knownIssues: [] })).toBe('partial');
		const full = { ...FACTS, audited: true, knownIssues: [] };
		expect(compliance(full)).toBe('full');
		const text = statementText(accessibilityStatement({ formatDate }, full), 'nl');
		expect(text).toContain('status A: voldoet volledig');
		expect(text).toContain('Er zijn geen bekende problemen.');
	});

	it('lists the known problems', () => {
		const text = statementText(accessibilityStatement({ formatDate }), 'nl');
		expect(text).toContain('De kaart met plekken is lastig met een schermlezer.');
		expect(text).toContain('nog niet getest');
	});

	it('before joining, sends problems to the neighbour who invited or a manager, with no number to call', () => {
		const sections = accessibilityStatement({ formatDate });
		expect(statementText(sections, 'nl')).toContain('Vertel het de buur die u uitnodigde of een beheerder van uw buurt.');
		expect(sections.some((s) => s.phone)).toBe(false);
	});

	it('claims only the checks the browser tests run', () => {
		const axe = e2e('accessibility.spec.ts');
		// The rule sets named in the statement are the ones every page is checked with (tests/e2e/axe.ts).
		expect(axe).toContain("import { expectNoViolations } from './axe.ts';");
		expect(e2e('axe.ts')).toContain(`withTags([${FACTS.axeTags.map((tag) => `'${tag}'`).join(', ')}])`);
		expect(statementText(accessibilityStatement({ formatDate }), 'nl')).toContain(FACTS.axeTags.join(', '));
		// Both languages and both display settings, over every route, the statements included.
		expect(axe).toMatch(/\['nl', \{ large: true, contrast: true \}/);
		expect(axe).toMatch(/\['en', \{ large: true, contrast: true \}/);
		const routes = e2e('routes.ts');
		expect(routes).toContain("'/privacy'");
		expect(routes).toContain("'/toegankelijkheid'");
		// Reflow at 320 px and 200 % zoom, a keyboard-only join and post, sizes and visible focus.
		const everyone = e2e('everyone.spec.ts');
		expect(everyone).toContain('for (const width of [320, 640])');
		expect(everyone).toContain('with the keyboard only');
		expect(everyone).toContain('the text is at least 18 px, every control at least 44 × 44 px, and keyboard focus is visible');
	});
});
