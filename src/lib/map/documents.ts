// The social map's document: normally one, made with the neighbourhood. It opens at once, read away
// from the page where the browser can, as every module's; pages change it through the map's actions.
import type { DocumentsDeclaration } from '../automerge/module-documents.svelte.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import { mapActions, type MapActions } from './actions.ts';
import { freshMapDoc } from './create.ts';
import type { MapDoc } from './document.ts';
import { combineMaps, readMap, type MapRead } from './view.ts';

export const mapDocuments: DocumentsDeclaration<RootIndex, MapDoc, MapRead, MapActions> = {
	listed: ({ map }) => map,
	page: '/kaart',
	read: (docs) => readMap(docs.map(({ doc }) => doc)),
	combine: combineMaps,
	actions: mapActions,
	// One document, made with the neighbourhood; a neighbourhood from before the map gets it when first changed.
	adds: { listedIn: 'map', fresh: freshMapDoc }
};
