// What a page may do to an agenda document by name, wherever that document is open: on the page,
// or in the documents worker (automerge/background-repo.ts), which holds the agenda's years so that
// opening one never stalls a tap. Each is a mutation of mutations.ts; its arguments travel as plain
// data, so none takes a function or a handle besides the document's own.
import {
	cancelEvent,
	cancelSignup,
	changeOccurrence,
	comeBack,
	restoreEvent,
	restoreOccurrence,
	restoreSignup,
	signUp,
	skipOccurrence,
	stayAway
} from './mutations.ts';

export const agendaActions = {
	signUp,
	cancelSignup,
	restoreSignup,
	stayAway,
	comeBack,
	skipOccurrence,
	restoreOccurrence,
	changeOccurrence,
	cancelEvent,
	restoreEvent
};

export type AgendaActions = typeof agendaActions;

export type { ActionArgs } from '../automerge/module-documents.svelte.ts';
