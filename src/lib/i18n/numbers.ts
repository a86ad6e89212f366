// Numbers as people read them in the device's language: "1,2 km" in Dutch, "1.2 km" in English.
import { locale } from './language.svelte.ts';

/** A distance in kilometres, to one decimal. */
export function formatKm(km: number): string {
	return new Intl.NumberFormat(locale.tag, { style: 'unit', unit: 'kilometer', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(km);
}
