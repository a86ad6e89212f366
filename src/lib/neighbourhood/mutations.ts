import { updateText, type ImmutableString } from '@automerge/automerge/slim';
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { isRecord } from '../automerge/fields.ts';
import { imm } from '../automerge/immutable.ts';
import type { PeriodLists } from '../automerge/module-documents.svelte.ts';
import { addName, removeName } from '../automerge/name-list.ts';
import type { RootDoc } from './document.ts';
import { readVersion } from './document.ts';
import { migrate, type MigrationResult } from './migrate.ts';
import { DetailsInput, type RootIndex } from './schema.ts';
import { sameRelay } from './relay-list.ts';
import { check, type Invalid, type Valid } from '../validation/check.ts';

export type { Invalid, Valid };

/** Validates form input; errors are message keys per field. */
export const checkDetails = (input: unknown): Valid<DetailsInput> | Invalid => check(DetailsInput, input);

/** Text fields merge per character with other managers' edits; the rest is replaced. */
export function updateDetails(handle: DocHandle<RootDoc>, details: DetailsInput): void {
	handle.change((doc) => {
		updateText(doc, ['name'], details.name);
		updateText(doc, ['description'], details.description);
		updateText(doc, ['area', 'description'], details.area);
		updateText(doc, ['contact', 'hours'], details.contactHours);
		if (String(doc.contact.name) !== details.contactName) doc.contact.name = imm(details.contactName);
		if (String(doc.contact.phone) !== details.contactPhone) doc.contact.phone = imm(details.contactPhone);
	});
}

export function addManager(handle: DocHandle<RootDoc>, memberId: string): void {
	handle.change((doc) => {
		doc.managers[memberId] = true;
	});
}

export function removeManager(handle: DocHandle<RootDoc>, memberId: string): void {
	handle.change((doc) => {
		delete doc.managers[memberId];
	});
}

/** Lets a volunteer edit every item of a module (or no longer). */
export function setEditor(handle: DocHandle<RootDoc>, module: 'agenda' | 'map', memberId: string, editor: boolean): void {
	handle.change((doc) => {
		doc.editors ??= {};
		if (editor) doc.editors[`${module}:${memberId}`] = true;
		else delete doc.editors[`${module}:${memberId}`];
	});
}

/** Switches the public page (the paper's QR code) on or off; off prints paper without a code. */
export function setPublicPage(handle: DocHandle<RootDoc>, on: boolean): void {
	handle.change((doc) => {
		if (doc.settings.publicPage !== on) doc.settings.publicPage = on;
	});
}

/**
 * Lists a module's document under its period (`docs.help`, `docs.agenda`, `docs.map`): URL →
 * period, so two devices that each start one offline both stay listed.
 */
export function listDocument(handle: DocHandle<RootDoc>, list: PeriodLists<RootIndex>, period: string, url: string): void {
	handle.change((doc) => {
		// A root from before the map has no map index.
		const index: Record<string, ImmutableString> = (doc.docs[list] ??= {});
		index[url] = imm(period);
	});
}

/** Lists an agenda document; two devices may list one for the same year. */
export const addAgendaDoc = (handle: DocHandle<RootDoc>, period: string, url: string): void => listDocument(handle, 'agenda', period, url);

/** Lists the social map's document. */
export const addMapDoc = (handle: DocHandle<RootDoc>, url: string): void => listDocument(handle, 'map', 'map', url);

/**
 * Brings an older root up to date; records no change unless it is older. Never throws: what it
 * could not do is in the result, and the app shows the root as well as it can.
 */
export function migrateRoot(handle: DocHandle<RootDoc>): MigrationResult {
	const doc: unknown = handle.doc();
	// Not a map at all: nothing to migrate, and the view tells the resident it cannot be read.
	if (!isRecord(doc)) return { kind: 'current' };
	const version = readVersion(doc.schemaVersion);
	if (version.kind !== 'older') return version;
	let result: MigrationResult = { kind: 'current' };
	try {
		handle.change((d) => {
			result = migrate(d as unknown as Record<string, unknown>);
		});
	} catch (error) {
		return { kind: 'failed', from: version.version, at: version.version + 1, reason: error instanceof Error ? error.message : String(error) };
	}
	return result;
}

/** Lists a period document of the help board; two devices may list one for the same period. */
export const addHelpPeriod = (handle: DocHandle<RootDoc>, period: string, url: string): void => listDocument(handle, 'help', period, url);

/**
 * The help board's categories: a list, so concurrent additions by two managers both stay. `at`
 * puts one back where it was (undoing a removal); new ones go last.
 */
export function addHelpCategory(handle: DocHandle<RootDoc>, category: string, at?: number): boolean {
	let added = false;
	handle.change((doc) => {
		added = addName(doc.settings.helpCategories, category, at);
	});
	return added;
}

/** Old posts keep their category; it is only no longer offered for new ones. Returns where it stood, or -1. */
export function removeHelpCategory(handle: DocHandle<RootDoc>, category: string): number {
	let index = -1;
	handle.change((doc) => {
		index = removeName(doc.settings.helpCategories, category);
	});
	return index;
}

/** Lists an archive document of the help board for a year. */
export function addHelpArchive(handle: DocHandle<RootDoc>, year: string, url: string): void {
	handle.change((doc) => {
		doc.docs.helpArchive[url] = imm(year);
	});
}

/** Marks a quarter document as archived: its posts are read from `archiveUrl` from now on. */
export function sealHelpPeriod(handle: DocHandle<RootDoc>, periodUrl: string, archiveUrl: string): void {
	handle.change((doc) => {
		doc.docs.helpSealed[periodUrl] = imm(archiveUrl);
	});
}

/**
 * Moving house: the relay becomes the first in the list, the neighbourhood's home, where every
 * device then follows (relay-list.ts). Only list edits: the list object stays, so the relay's
 * referee sees a manager's change to `relays`. Returns false when the relay is not listed.
 */
export function moveHome(handle: DocHandle<RootDoc>, relay: string): boolean {
	let moved = false;
	handle.change((doc) => {
		const at = doc.relays.findIndex((r) => sameRelay(String(r), relay));
		if (at < 0) return;
		moved = true;
		if (at === 0) return;
		const entry = String(doc.relays[at]);
		removeRelayEntries(doc.relays, entry);
		doc.relays.unshift(imm(entry));
	});
	return moved;
}

/** "Niet meer gebruiken": takes a relay off the list; never the last one. Returns whether it did. */
export function retireRelay(handle: DocHandle<RootDoc>, relay: string): boolean {
	let retired = false;
	handle.change((doc) => {
		const others = doc.relays.filter((r) => !sameRelay(String(r), relay));
		if (others.length === 0 || others.length === doc.relays.length) return;
		retired = removeRelayEntries(doc.relays, relay) > 0;
	});
	return retired;
}

/** Removes every spelling of a relay from the list (two managers may each have added it). */
function removeRelayEntries(list: RootDoc['relays'], relay: string): number {
	let removed = 0;
	for (let i = list.length - 1; i >= 0; i--) {
		if (sameRelay(String(list[i]), relay)) {
			list.splice(i, 1);
			removed += 1;
		}
	}
	return removed;
}

/**
 * Lists another relay the neighbourhood syncs through (a manager adds it after pairing, relay
 * add-relay.ts); a relay listed already is not listed twice. False when it was listed.
 */
export function addRelay(handle: DocHandle<RootDoc>, url: string): boolean {
	let added = false;
	handle.change((doc) => {
		doc.relays ??= [];
		if (doc.relays.some((r) => sameRelay(String(r), url))) return;
		doc.relays.push(imm(url));
		added = true;
	});
	return added;
}

/**
 * After re-seeding (the old relay is gone for good): the new relay listed, and first: the home.
 */
export function reseedRelays(handle: DocHandle<RootDoc>, relay: string): void {
	addRelay(handle, relay);
	moveHome(handle, relay);
}
