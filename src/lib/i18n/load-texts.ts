// Each language's texts are a chunk of their own, fetched when that language is first needed:
// the welcome page of a Dutch phone carries no English.
import { textsOf, type Language, type Texts } from './texts.ts';

const files = import.meta.glob<Record<string, unknown>>('/messages/*.json', { import: 'default' });

export async function loadTexts(language: Language): Promise<Texts> {
	const file = files[`/messages/${language}.json`];
	if (!file) throw new Error(`no texts for ${language}`);
	return textsOf(language, await file());
}
