import { describe, expect, it } from 'vitest';
import { locale } from '$lib/i18n/language.svelte.ts';
import { moduleOfRule, refusalText } from './refusal-text.ts';

describe('why a change was not passed on', () => {
	it('reads the module from the rule, with a general sentence for rules it does not know', () => {
		expect(moduleOfRule('help.post-author')).toBe('help');
		expect(moduleOfRule('neighbourhood.details')).toBe('neighbourhood');
		expect(moduleOfRule('members')).toBe('members');
		expect(moduleOfRule('helpdesk.x')).toBe('other');
		expect(moduleOfRule('')).toBe('other');
	});

	it('says it in plain Dutch, and in English for those who chose it', () => {
		const entry = { rule: 'help.post-author', at: '2026-03-03T09:00:00.000Z' };
		expect(refusalText(entry)).toBe(
			'Uw wijziging van 3 maart 2026 om 10.00 is niet doorgegeven: alleen de schrijver van dit bericht, diens tussenpersoon of een beheerder mag het wijzigen.'
		);
		expect(refusalText({ ...entry, rule: 'anything.else' })).toContain('past niet bij de afspraken van de buurt');
		locale.language = 'en';
		try {
			expect(refusalText({ ...entry, rule: 'agenda.organiser' })).toBe(
				'Your change of 3 March 2026 at 10:00 was not passed on: only the organiser of this activity or an agenda editor may change it.'
			);
		} finally {
			locale.language = 'nl';
		}
	});
});
