// One way to compare what people type with what is stored: without case and accents, so "cafe"
// finds "Café" and "Zoe" finds "Zoë" on any keyboard. Used by every search and for file names.

/** Lower case without diacritics. */
export const fold = (text: string): string => text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
