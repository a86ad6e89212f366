// Every module with documents of its own, as the root lists them. A new module declares its
// documents in its own folder and is added here; the connection opens whatever this names.
import { agendaDocuments } from '../agenda/documents.ts';
import { helpDocuments } from '../help/documents.ts';
import { mapDocuments } from '../map/documents.ts';

export const modules = { help: helpDocuments, agenda: agendaDocuments, map: mapDocuments };
