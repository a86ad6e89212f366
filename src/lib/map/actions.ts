// What a page may do to the social map by name, wherever its document is open: on the page, or in
// the documents worker (automerge/background-repo.ts), which reads every module's documents away
// from the page. Each is a mutation of mutations.ts (or the import of hsds/apply.ts); its arguments
// travel as plain data, so none takes a function or a handle besides the document's own.
import { applyImport } from './hsds/apply.ts';
import {
	addTheme,
	createLocation,
	createOrganization,
	createService,
	editLocation,
	editOrganization,
	editService,
	removeItem,
	removeTheme,
	restoreItem,
	reviewService,
	setMapSettings
} from './mutations.ts';

export const mapActions = {
	createOrganization,
	editOrganization,
	createLocation,
	editLocation,
	createService,
	editService,
	reviewService,
	removeItem,
	restoreItem,
	addTheme,
	removeTheme,
	setMapSettings,
	applyImport
};

export type MapActions = typeof mapActions;

export type { ActionArgs } from '../automerge/module-documents.svelte.ts';
