// A statement (privacy, accessibility) as sections of message keys: the domain modules decide
// what is said from the neighbourhood's details, and one component renders it in either language.
import type { MessageKey } from '../i18n/language.svelte.ts';

export interface Sentence {
	key: MessageKey;
	params?: Record<string, string | number>;
}

export interface Section {
	/** Stable id for the heading's anchor ("#bewaren"), so a link can point at one part. */
	id: string;
	heading: MessageKey;
	paragraphs: Sentence[];
	/** Shown as a bulleted list after the paragraphs. */
	items?: Sentence[];
	/** A number to call, shown as a tap-to-call button. */
	phone?: string;
	/** An outside address (the regulator's), shown as a link. */
	link?: { href: string; text: Sentence };
}

/** The parts of a neighbourhood a statement names; absent on a device that has joined none yet. */
export interface NeighbourhoodDetails {
	name: string;
	contact: { name: string; phone: string; hours: string };
}

/** One sentence of a statement: its text's key, and the values for its placeholders. */
export const say = (key: MessageKey, params?: Sentence['params']): Sentence => (params ? { key, params } : { key });
