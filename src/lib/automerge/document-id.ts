// A document is named by its automerge URL where the root lists it, and by its bare id where storage,
// the relay's records and the sync messages name it. Lenient: an id without the prefix stays as it is.
export const documentIdOf = (urlOrId: string): string => urlOrId.replace(/^automerge:/, '');
