// Which module says what of a member is erased from one of its documents. The relay asks this for
// every document of the neighbourhood; a module with nothing personal in its documents (the agenda
// names members by id only; the map holds organisations' details) has no entry.
import type { Kind } from '../rules/documents.ts';
import { archiveScrubs, boardScrubs, tidyBoard } from '../help/erase.ts';
import { profileScrubs, tidyProfile } from '../members/erase.ts';
import type { Scrub } from './rewrite.ts';

export interface ErasurePlan {
	/** Places whose every past value is replaced (rewrite.ts). */
	scrubs: Scrub[];
	/** One ordinary change written after the rewrite (marks, emptied text), inside `A.change`. */
	tidy?: (doc: unknown) => void;
}

export function planErasure(kind: Kind, doc: unknown, memberId: string, at: string): ErasurePlan {
	switch (kind) {
		case 'members':
			return { scrubs: profileScrubs(doc, memberId), tidy: (d) => tidyProfile(d, memberId, at) };
		case 'help':
			return { scrubs: boardScrubs(doc, memberId), tidy: (d) => tidyBoard(d, memberId, at) };
		// A sealed quarter is only read now: its history is rewritten, nothing new written.
		case 'helpSealed':
			return { scrubs: boardScrubs(doc, memberId) };
		case 'helpArchive':
			return { scrubs: archiveScrubs(doc, memberId) };
		default:
			return { scrubs: [] };
	}
}
