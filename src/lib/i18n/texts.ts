// One language's texts: the flat map of messages/<language>.json, key → template with `{name}`
// placeholders. The app loads only the device's language (load-texts.ts), so a phone never
// downloads the other; the relay, which writes to members in either language, holds both.
// Paraglide compiles the same files for the relay's own messages; texts.test.ts holds the two
// readings to the same result for every text.
export type Language = 'nl' | 'en';
export const LANGUAGES: readonly Language[] = ['nl', 'en'];

export interface Texts {
	language: Language;
	/** The translation file as it is: its `$schema` line is not a text (hasText). */
	templates: Readonly<Record<string, unknown>>;
}

export type TextParams = Record<string, string | number>;

/** `{name}` filled in; `\{` is a brace as typed (a tile address's `{z}` in a hint). */
export function fill(template: string, params: TextParams): string {
	return template.replace(/\\([{}])|\{(\w+)\}/g, (_match, brace: string | undefined, name: string) => brace ?? String(params[name]));
}

export function hasText(texts: Texts, key: string): boolean {
	return key !== '$schema' && Object.hasOwn(texts.templates, key) && typeof texts.templates[key] === 'string';
}

/** The text in this language, or its key when there is none (never an empty line). */
export function say(texts: Texts, key: string, params: TextParams = {}): string {
	return hasText(texts, key) ? fill(texts.templates[key] as string, params) : key;
}

/** Every key of `texts` that is a text. */
export function textKeys(texts: Texts): string[] {
	return Object.keys(texts.templates).filter((key) => hasText(texts, key));
}

/**
 * A translation file's contents as texts, read where they are: a copy of its 1,500 entries took
 * 10 ms of the cheap phone's start (bench/member-device.ts), every time the app opened.
 */
export function textsOf(language: Language, file: Readonly<Record<string, unknown>>): Texts {
	return { language, templates: file };
}

/** A help category id as a label: the default set is translated, custom ones are shown as typed. */
export function categoryLabel(texts: Texts, id: string): string {
	const key = `category.${id}`;
	return hasText(texts, key) ? say(texts, key) : id;
}
