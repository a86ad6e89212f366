// The background worker (automerge/background-repo.ts): reads the later documents of every module
// that combines views, with that module's own reader, so the page gets the view it would have read.
import { serveBackground, type PartReader } from '../automerge/background-repo.ts';
import type { DocumentsDeclaration } from '../automerge/module-documents.svelte.ts';
import { modules } from './modules.ts';
import type { RootIndex } from './schema.ts';

const declared: Record<string, DocumentsDeclaration<RootIndex, unknown, unknown>> = modules;
const readers: Record<string, PartReader> = Object.fromEntries(
	Object.entries(declared).flatMap(([name, declaration]) =>
		declaration.combine ? [[name, (url: string, doc: unknown) => declaration.read([{ url, doc }])]] : []
	)
);

serveBackground(self as unknown as Parameters<typeof serveBackground>[0], readers);
