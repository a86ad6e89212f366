// A statement as plain text in one language, as the statements' tests read it.
import { m } from '../paraglide/messages.js';
import type { Section, Sentence } from './statement.ts';

type Message = (params: Record<string, string | number>, options: { locale: 'nl' | 'en' }) => string;

export const sentenceText = (sentence: Sentence, locale: 'nl' | 'en'): string =>
	(m[sentence.key] as unknown as Message)(sentence.params ?? {}, { locale });

export function statementText(sections: Section[], locale: 'nl' | 'en'): string {
	return sections
		.map((section) =>
			[
				sentenceText({ key: section.heading }, locale),
				...section.paragraphs.map((p) => sentenceText(p, locale)),
				...(section.items ?? []).map((p) => `- ${sentenceText(p, locale)}`),
				...(section.phone ? [section.phone] : []),
				...(section.link ? [`${sentenceText(section.link.text, locale)} (${section.link.href})`] : [])
			].join('\n')
		)
		.join('\n\n');
}
