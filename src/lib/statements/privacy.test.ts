import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statementText } from './plain-text.ts';
import { privacyStatement } from './privacy.ts';
import type { NeighbourhoodDetails, Section } from './statement.ts';

const lindenbuurt: NeighbourhoodDetails = {
	name: 'Bewonersvereniging Lindenbuurt',
	contact: { name: 'Fatima de Vries', phone: '020 123 4567', hours: 'ma-vr 9-12' }
};
const nl = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'messages', 'nl.json'), 'utf8')) as Record<string, string>;
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();
const sentences = (sections: Section[]) =>
	sections.flatMap((s) => [{ key: s.heading, params: undefined }, ...s.paragraphs, ...(s.items ?? []), ...(s.link ? [s.link.text] : [])]);
const section = (sections: Section[], id: string) => sections.find((s) => s.id === id)!;

describe('the privacy statement', () => {
	it('names the neighbourhood as the controller and its contact for questions', () => {
		const sections = privacyStatement({ neighbourhood: lindenbuurt });
		const text = statementText(sections, 'nl');
		expect(text).toContain('Bewonersvereniging Lindenbuurt is verantwoordelijk voor uw gegevens in Noaber.');
		expect(text).toContain('verwerkingsverantwoordelijke');
		expect(text).toContain('Neem contact op met Fatima de Vries van Bewonersvereniging Lindenbuurt.');
		expect(text).toContain('Bereikbaar: ma-vr 9-12.');
		expect(section(sections, 'verantwoordelijk').phone).toBe('020 123 4567');
		expect(statementText(sections, 'en')).toContain('Bewonersvereniging Lindenbuurt is responsible for your data in Noaber.');
	});

	it('covers every part the AVG asks for, in the same order in both languages', () => {
		const sections = privacyStatement({ neighbourhood: lindenbuurt });
		expect(sections.map((s) => s.id)).toEqual(['verantwoordelijk', 'gegevens', 'waar', 'wie-ziet-wat', 'bewaren', 'rechten', 'help-met-rechten', 'server', 'klacht']);
		const text = statementText(sections, 'nl');
		for (const part of ['op het apparaat van elk lid', 'server van Bewonersvereniging Lindenbuurt', 'geen bedrijf achter Noaber', 'versleuteld', 'wijkverbinder', 'Mijn gegevens', 'Verwijder mijn gegevens', 'toestemming intrekken', 'verwerker', 'kan de verwerker ook zien', 'De verwerker kan ze niet lezen', 'Autoriteit Persoonsgegevens']) {
			expect(text).toContain(part);
		}
		expect(section(sections, 'klacht').link?.href).toBe('https://www.autoriteitpersoonsgegevens.nl');
	});

	it('says people who left are erased after 12 months unless the manager set another period', () => {
		const usual = statementText(privacyStatement({ neighbourhood: lindenbuurt }), 'nl');
		expect(usual).toContain('na 12 maanden gewist');
		expect(usual).toContain('Dat is de gewone termijn.');
		const six = statementText(privacyStatement({ neighbourhood: lindenbuurt, eraseAfterMonths: 6 }), 'nl');
		expect(six).toContain('na 6 maanden gewist');
		expect(six).toContain('Die termijn koos de beheerder van de buurt.');
		expect(statementText(privacyStatement({ neighbourhood: lindenbuurt, eraseAfterMonths: 1 }), 'nl')).toContain('na 1 maand gewist');
		// A period no manager could set reads as the usual one rather than "after 0 months".
		expect(statementText(privacyStatement({ neighbourhood: lindenbuurt, eraseAfterMonths: 0 }), 'nl')).toContain('na 12 maanden gewist');
	});

	it('before joining, says the general parts and that the neighbourhood follows after joining', () => {
		const sections = privacyStatement({});
		const text = statementText(sections, 'nl');
		expect(text).toContain('De buurt waar u meedoet, is verantwoordelijk');
		expect(text).toContain('Doet u mee met een buurt? Dan ziet u hier de naam van de buurt en wie u kunt bellen.');
		expect(text).toContain('na 12 maanden gewist');
		expect(sections.some((s) => s.phone)).toBe(false);
		expect(sections.map((s) => s.id)).toEqual(privacyStatement({ neighbourhood: lindenbuurt }).map((s) => s.id));
	});

	it('without a contact person, sends questions to the managers; without a phone, shows no call button', () => {
		const sections = privacyStatement({ neighbourhood: { name: 'Lindenbuurt', contact: { name: ' ', phone: '', hours: 'ma 9-12' } } });
		const text = statementText(sections, 'nl');
		expect(text).toContain('Stel ze aan een beheerder van Lindenbuurt.');
		expect(text).not.toContain('Bereikbaar');
		expect(sections.some((s) => s.phone)).toBe(false);
	});

	it('fills exactly the placeholders each text has, in every variant', () => {
		const variants = [
			privacyStatement({}),
			privacyStatement({ neighbourhood: lindenbuurt }),
			privacyStatement({ neighbourhood: { name: 'Lindenbuurt', contact: { name: '', phone: '', hours: '' } }, eraseAfterMonths: 1 })
		];
		for (const sentence of variants.flatMap(sentences)) {
			expect(sentence.key in nl, sentence.key).toBe(true);
			expect(Object.keys(sentence.params ?? {}).sort(), sentence.key).toEqual(placeholders(nl[sentence.key]));
		}
	});
});
