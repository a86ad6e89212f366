// Both languages' texts at once, for whoever writes to people in either: the relay (pushes,
// digests) and tests. The app itself never imports this: it fetches only the device's language
// (load-texts.ts).
import en from '../../../messages/en.json';
import nl from '../../../messages/nl.json';
import { textsOf, type Language, type Texts } from './texts.ts';

const both: Record<Language, Texts> = { nl: textsOf('nl', nl), en: textsOf('en', en) };

export const textsIn = (language: Language): Texts => both[language];
