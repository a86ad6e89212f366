// The interface language, chosen per device. Dutch unless the resident picks English.
import { browser } from '$app/environment';
import { en } from './en.ts';
import { nl, type MessageKey } from './nl.ts';

export type Language = 'nl' | 'en';
const catalogues: Record<Language, Record<MessageKey, string>> = { nl, en };
const STORAGE_KEY = 'noaber.language';

class Locale {
	language = $state<Language>('nl');

	constructor() {
		if (browser && localStorage.getItem(STORAGE_KEY) === 'en') this.language = 'en';
	}

	set(language: Language) {
		this.language = language;
		localStorage.setItem(STORAGE_KEY, language);
		document.documentElement.lang = language;
	}

	get tag(): string {
		return this.language === 'nl' ? 'nl-NL' : 'en-GB';
	}
}

export const locale = new Locale();

/** A message in the device's language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
	const template = catalogues[locale.language][key] ?? nl[key] ?? key;
	return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A validation error key from a domain schema, as a sentence for the resident. */
export function fieldError(key: string | undefined): string | undefined {
	if (!key) return undefined;
	const messageKey = `field.${key}` as MessageKey;
	return messageKey in nl ? t(messageKey) : t('form.fix');
}

/** A help category id as a label: the default set is translated, custom ones are shown as typed. */
export function categoryLabel(id: string): string {
	const messageKey = `category.${id}` as MessageKey;
	return messageKey in nl ? t(messageKey) : id;
}

