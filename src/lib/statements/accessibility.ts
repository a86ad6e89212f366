// The accessibility statement (toegankelijkheidsverklaring) in the model of digitoegankelijk.nl:
// the app, its compliance status against WCAG 2.1 AA (EN 301 549), the date, how it was checked,
// the known problems and whom to tell about a problem. What it claims rests on what the browser
// tests check (tests/e2e/accessibility.spec.ts, everyone.spec.ts); accessibility.test.ts keeps the
// two in step, so a check dropped from the tests cannot stay claimed here.
import { say as s, type NeighbourhoodDetails, type Section, type Sentence } from './statement.ts';

export const APP_NAME = 'Noaber';
export const STANDARD = 'WCAG 2.1';
export const NORM = 'EN 301 549';

/** A known problem: a part that does not (fully) meet the standard, or was not checked. */
export type KnownIssue = 'map' | 'assistiveTech' | 'print';

export interface AccessibilityFacts {
	/** The day the statement was drawn up, and the checks last run against it (YYYY-MM-DD). */
	date: string;
	/** The axe rule sets every page is checked with, as tests/e2e/accessibility.spec.ts names them. */
	axeTags: readonly string[];
	/** An expert went through every success criterion by hand. */
	audited: boolean;
	knownIssues: readonly KnownIssue[];
}

export const FACTS: AccessibilityFacts = {
	date: '2026-12-01',
	axeTags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
	audited: false,
	knownIssues: ['map', 'assistiveTech', 'print']
};

/**
 * The status in digitoegankelijk.nl's terms. Automated checks find part of the problems only, so
 * "voldoet volledig" (A) needs a full check by hand and no known problem left.
 */
export type Compliance = 'full' | 'partial';
export const compliance = (facts: AccessibilityFacts): Compliance => (facts.audited && facts.knownIssues.length === 0 ? 'full' : 'partial');

const ISSUE_TEXT: Record<KnownIssue, Sentence['key']> = {
	map: 'a11yStatement.issue.map',
	assistiveTech: 'a11yStatement.issue.assistiveTech',
	print: 'a11yStatement.issue.print'
};

/** `formatDate` turns the statement's day into words in the reader's language. */
export function accessibilityStatement(
	input: { neighbourhood?: NeighbourhoodDetails; formatDate: (day: string) => string },
	facts: AccessibilityFacts = FACTS
): Section[] {
	const n = input.neighbourhood?.name.trim() ? input.neighbourhood : undefined;
	const contact = n?.contact.name.trim();
	const status = compliance(facts);
	return [
		{
			id: 'over',
			heading: 'a11yStatement.about.title',
			paragraphs: [
				n ? s('a11yStatement.about.named', { app: APP_NAME, name: n.name }) : s('a11yStatement.about.general', { app: APP_NAME }),
				s('a11yStatement.about.scope', { app: APP_NAME })
			]
		},
		{
			id: 'status',
			heading: 'a11yStatement.status.title',
			paragraphs: [
				status === 'full'
					? s('a11yStatement.status.full', { app: APP_NAME, standard: STANDARD, norm: NORM })
					: s('a11yStatement.status.partial', { app: APP_NAME, standard: STANDARD, norm: NORM }),
				status === 'full' ? s('a11yStatement.status.fullCode') : s('a11yStatement.status.partialCode')
			]
		},
		{
			id: 'datum',
			heading: 'a11yStatement.date.title',
			paragraphs: [s('a11yStatement.date.made', { date: input.formatDate(facts.date) }), s('a11yStatement.date.again')]
		},
		{
			id: 'onderzoek',
			heading: 'a11yStatement.method.title',
			paragraphs: [s('a11yStatement.method.lead')],
			items: [
				s('a11yStatement.method.axe', { tags: facts.axeTags.join(', ') }),
				s('a11yStatement.method.settings'),
				s('a11yStatement.method.reflow'),
				s('a11yStatement.method.keyboard'),
				s('a11yStatement.method.sizes')
			]
		},
		{
			id: 'handmatig',
			heading: 'a11yStatement.manual.title',
			paragraphs: facts.audited ? [s('a11yStatement.manual.audited')] : [s('a11yStatement.manual.notYet'), s('a11yStatement.manual.why')]
		},
		{
			id: 'problemen',
			heading: 'a11yStatement.issues.title',
			paragraphs: [facts.knownIssues.length ? s('a11yStatement.issues.lead') : s('a11yStatement.issues.none')],
			...(facts.knownIssues.length ? { items: facts.knownIssues.map((issue) => s(ISSUE_TEXT[issue])) } : {})
		},
		{
			id: 'melden',
			heading: 'a11yStatement.report.title',
			paragraphs: [
				s('a11yStatement.report.lead'),
				n ? (contact ? s('a11yStatement.report.contact', { contact, name: n.name }) : s('a11yStatement.report.managers', { name: n.name })) : s('a11yStatement.report.general'),
				s('a11yStatement.report.fix', { app: APP_NAME })
			],
			phone: n?.contact.phone || undefined
		}
	];
}
