// The interface language, chosen per device. Dutch unless the resident picks English.
// The texts live in messages/<language>.json and are compiled by Paraglide into
// src/lib/paraglide; this module picks the device's language for them.
import { browser } from '$app/environment';
import { m } from '$lib/paraglide/messages.js';
import { overwriteGetLocale } from '$lib/paraglide/runtime.js';

export type Language = 'nl' | 'en';
export type MessageKey = keyof typeof m & string;
type Params = Record<string, string | number>;
type Message = (inputs: Params, options: { locale: Language }) => string;

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
// Paraglide's own functions (m.…()) follow the device's choice too, not a cookie or the URL.
overwriteGetLocale(() => locale.language);

export function hasMessage(key: string): key is MessageKey {
	return Object.hasOwn(m, key);
}

/** A message in the device's language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Params = {}): string {
	if (!hasMessage(key)) return key;
	return (m[key] as unknown as Message)(params, { locale: locale.language });
}

/** A validation error key from a domain schema, as a sentence for the resident. */
export function fieldError(key: string | undefined): string | undefined {
	if (!key) return undefined;
	const messageKey = `field.${key}`;
	return hasMessage(messageKey) ? t(messageKey) : t('form.fix');
}

/** A help category id as a label: the default set is translated, custom ones are shown as typed. */
export function categoryLabel(id: string): string {
	const messageKey = `category.${id}`;
	return hasMessage(messageKey) ? t(messageKey) : id;
}
