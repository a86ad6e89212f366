// Tests read the interface in both languages, switching `locale.language` as they go, as a
// device has after the resident switched once.
import { locale } from '../src/lib/i18n/language.svelte.ts';

await Promise.all([locale.load('nl'), locale.load('en')]);
