// The members document, one per neighbourhood: every page needs names, so it opens before any
// module's documents. It is read away from the page where the browser can, and pages change it
// through the members' actions.
import type { DocumentsDeclaration } from '../automerge/module-documents.svelte.ts';
import type { Read } from '../automerge/fields.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import { membersActions } from './actions.ts';
import type { MembersDoc } from './document.ts';
import { byName, readMembers, type Member } from './view.ts';

/** Only one document is listed; a restored one read beside the lost one counts each member once. */
function combineMembers(reads: Read<Member>[]): Read<Member> {
	if (reads.length === 1) return reads[0];
	const seen = new Set<string>();
	const items = reads.flatMap((r) => r.items).filter((m) => !seen.has(m.id) && seen.add(m.id));
	return { items: items.sort(byName), skipped: reads.reduce((n, r) => n + r.skipped, 0) };
}

export const membersDocuments: DocumentsDeclaration<RootIndex, MembersDoc, Read<Member>> = {
	listed: ({ members }) => (members ? [{ url: members }] : []),
	// Everyone who ever took part: a page leaves out who left where it lists members.
	read: (docs) => combineMembers(docs.map(({ doc }) => readMembers(doc, { includeLeft: true }))),
	combine: (reads) => combineMembers(reads.filter((r) => r.items.length > 0 || r.skipped > 0)),
	actions: membersActions
};
