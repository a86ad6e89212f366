// Automerge runs only in the browser: the IndexedDB adapter opens its database when constructed.
export const ssr = false;
export const prerender = false;
