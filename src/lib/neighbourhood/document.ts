// The root document of a neighbourhood: what is stored in Automerge.
import type { ImmutableString } from '@automerge/automerge/slim';
import type { AgendaIndex } from '../agenda/document.ts';
import type { ArchiveIndex, HelpIndex, SealedIndex } from '../help/document.ts';

/** Text that managers edit together stays plain (Automerge text); the rest is immutable. */
export interface RootDoc {
	schemaVersion: number;
	id: ImmutableString;
	name: string;
	description: string;
	area: { description: string };
	contact: {
		name: ImmutableString;
		phone: ImmutableString;
		hours: string;
	};
	/** Member ids of community managers; a map so concurrent additions merge. */
	managers: Record<string, true>;
	/**
	 * Volunteers a manager lets edit a module's shared items, keyed 'agenda:<memberId>' or
	 * 'map:<memberId>': one flat map, so a module added later needs no new map (and no migration).
	 */
	editors: Record<string, true>;
	/** Websocket URLs of the relays this neighbourhood syncs through. */
	relays: ImmutableString[];
	/**
	 * Automerge URLs of the module documents. Members is created once with the root; the help board
	 * has a document per quarter, started by whichever device posts first in it.
	 */
	docs: {
		members: ImmutableString;
		help: HelpIndex;
		helpArchive: ArchiveIndex;
		helpSealed: SealedIndex;
		/** Agenda documents: URL → year of their one-off events, or 'series'. */
		agenda: AgendaIndex;
		/**
		 * The social map: URL → 'map'. One document, created with the neighbourhood; an index in
		 * case two devices of an older neighbourhood each start one offline (both are read, and
		 * `heal.ts` keeps both listed when each device also made its own index).
		 */
		map: Record<string, ImmutableString>;
	};
	settings: {
		modules: { help: boolean; agenda: boolean; map: boolean };
		helpCategories: ImmutableString[];
		/**
		 * The public page the QR code on paper leads to; absent means on (roots made before it
		 * existed need no migration). Only a manager's `false` switches it off.
		 */
		publicPage?: boolean;
	};
	createdAt: ImmutableString;
}

export const SCHEMA_VERSION = 4;

export const DEFAULT_HELP_CATEGORIES = [
	'boodschappen',
	'vervoer',
	'klussen',
	'gezelschap',
	'computerhulp',
	'tuin',
	'administratie',
	'iets-anders'
] as const;

/** What the root's `schemaVersion` says, as far as this app can tell. */
export type VersionRead =
	| { kind: 'current' }
	/** Written by an older app: migrated on opening. A root without a version is version 0. */
	| { kind: 'older'; version: number }
	/** Written by a newer app: read as well as possible; this device should update. */
	| { kind: 'newer'; version: number }
	/** Not a version any app writes (0.5, -3, NaN, 'x'): a manager can repair it. */
	| { kind: 'impossible' };

export function readVersion(value: unknown): VersionRead {
	if (value === undefined) return { kind: 'older', version: 0 };
	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return { kind: 'impossible' };
	if (value === SCHEMA_VERSION) return { kind: 'current' };
	return value < SCHEMA_VERSION ? { kind: 'older', version: value } : { kind: 'newer', version: value };
}
