// The languages a service is offered in: the map keeps the ISO 639-1 codes it offers, HSDS writes
// a code and a name, and other systems write ISO 639-2/-3 codes or regional variants.
import { LANGUAGES } from '../document.ts';
import type { ServiceInput } from '../mutations.ts';

const dutchNames = (() => {
	try {
		return new Intl.DisplayNames(['nl'], { type: 'language' });
	} catch {
		return undefined;
	}
})();

export function languageName(code: string): string {
	try {
		return dutchNames?.of(code) ?? code;
	} catch {
		return code;
	}
}

export const isLanguage = (code: string): code is ServiceInput['languages'][number] => (LANGUAGES as readonly string[]).includes(code);

const LANGUAGE_ALIASES: Record<string, ServiceInput['languages'][number]> = {
	nld: 'nl', dut: 'nl', eng: 'en', tur: 'tr', ara: 'ar', pol: 'pl', deu: 'de', ger: 'de', fry: 'fy', ukr: 'uk', tir: 'ti'
};

/** A language code (ISO 639-1, or -2/-3 for the few the map offers) as the map stores it. */
export function languageOf(code: string): ServiceInput['languages'][number] | undefined {
	const c = code.trim().toLowerCase().split(/[-_]/)[0];
	return isLanguage(c) ? c : LANGUAGE_ALIASES[c];
}
