// A member's name as pages show it: someone the list does not know (yet, or any more) is "a
// neighbour", never an id or an empty space.
import { t } from '../i18n/language.svelte.ts';

export const memberName = (names: ReadonlyMap<string, string> | undefined, id: string | undefined): string => (id && names?.get(id)) || t('unknown.member');
