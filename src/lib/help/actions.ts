// What a page may do to a help board document by name, wherever that document is open: on the
// page, or in the documents worker (automerge/background-repo.ts), which holds the board's quarters
// and archives so that opening years of posts never stalls a tap. Each is a mutation of
// mutations.ts; its arguments travel as plain data, so none takes a function or a handle besides
// the document's own.
import {
	accept,
	createPost,
	editPost,
	hide,
	markDone,
	renew,
	reopen,
	respond,
	restore,
	restoreResponse,
	sendMessage,
	thank,
	withdrawPost,
	withdrawResponse
} from './mutations.ts';

export const helpActions = {
	createPost,
	editPost,
	respond,
	withdrawResponse,
	restoreResponse,
	accept,
	markDone,
	withdrawPost,
	reopen,
	renew,
	thank,
	hide,
	restore,
	sendMessage
};

export type HelpActions = typeof helpActions;

export type { ActionArgs } from '../automerge/module-documents.svelte.ts';
