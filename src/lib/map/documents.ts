// The social map's document: normally one, made with the neighbourhood. It opens at once.
import type { DocumentsDeclaration } from '../automerge/module-documents.svelte.ts';
import type { RootIndex } from '../neighbourhood/schema.ts';
import type { MapDoc } from './document.ts';
import { readMap, type MapRead } from './view.ts';

export const mapDocuments: DocumentsDeclaration<RootIndex, MapDoc, MapRead> = {
	listed: ({ map }) => map,
	page: '/kaart',
	read: (docs) => readMap(docs.map(({ doc }) => doc))
};
