// Every module with documents of its own, as the root lists them. A new module declares its
// documents in its own folder and is added here; the connection opens whatever this names.
import { agendaDocuments } from '../agenda/documents.ts';
import { helpDocuments } from '../help/documents.ts';
import { mapDocuments } from '../map/documents.ts';
import { membersDocuments } from '../members/documents.ts';

export const modules = { help: helpDocuments, agenda: agendaDocuments, map: mapDocuments };

/** The members' document: not a module's, as every page needs names; it opens before any module's. */
export const members = { members: membersDocuments };
