// The interface language, chosen per device. Dutch unless the resident picks English.
// The texts live in messages/<language>.json; only the device's language is fetched
// (load-texts.ts), before the first page shows, and the other only when the resident switches.
import { browser } from '$app/environment';
import type { m } from '$lib/paraglide/messages.js';
import { loadTexts } from './load-texts.ts';
import { categoryLabel as labelIn, hasText, say, type Language, type TextParams, type Texts } from './texts.ts';

export type { Language } from './texts.ts';
export type MessageKey = keyof typeof m & string;

const STORAGE_KEY = 'noaber.language';

class Locale {
	language = $state<Language>('nl');
	/** The languages whose texts this device has fetched so far. */
	#loaded = $state.raw<Partial<Record<Language, Texts>>>({});

	constructor() {
		if (browser && localStorage.getItem(STORAGE_KEY) === 'en') this.language = 'en';
	}

	/** The texts of the device's language; none (keys only) before `ready()` finished. */
	get texts(): Texts {
		return this.#loaded[this.language] ?? { language: this.language, templates: {} };
	}

	/** Fetches the device's texts; the layout waits for this before the first page shows. */
	async ready(): Promise<void> {
		await this.load(this.language);
	}

	/** Switches once the new language's texts are here, so no page ever shows bare keys. */
	async set(language: Language): Promise<void> {
		await this.load(language);
		this.language = language;
		localStorage.setItem(STORAGE_KEY, language);
		document.documentElement.lang = language;
	}

	/** Fetches a language's texts without switching to it. */
	async load(language: Language): Promise<void> {
		if (this.#loaded[language]) return;
		const texts = await loadTexts(language);
		this.#loaded = { ...this.#loaded, [language]: texts };
	}

	get tag(): string {
		return this.language === 'nl' ? 'nl-NL' : 'en-GB';
	}
}

export const locale = new Locale();

export function hasMessage(key: string): key is MessageKey {
	return hasText(locale.texts, key);
}

/** A message in the device's language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: TextParams = {}): string {
	return say(locale.texts, key, params);
}

/** A validation error key from a domain schema, as a sentence for the resident. */
export function fieldError(key: string | undefined): string | undefined {
	if (!key) return undefined;
	const messageKey = `field.${key}`;
	return hasMessage(messageKey) ? t(messageKey) : t('form.fix');
}

/** A help category id as a label: the default set is translated, custom ones are shown as typed. */
export function categoryLabel(id: string): string {
	return labelIn(locale.texts, id);
}
