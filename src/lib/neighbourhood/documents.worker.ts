// The background worker (automerge/background-repo.ts): reads the members and the later documents
// of every module that combines views, with that module's own reader, so the page gets the view it would have read,
// and runs the actions a module declares on the documents it reads.
// Started as a SharedWorker where the browser has one (every tab is a port of one host), as a
// dedicated worker otherwise (the page is its only port).
import { BackgroundHost, type PartReader, type Port } from '../automerge/background-repo.ts';
import type { DocumentsDeclaration, ModuleActions } from '../automerge/module-documents.svelte.ts';
import type { Span } from '../automerge/span.ts';
import { members, modules } from './modules.ts';
import type { RootIndex } from './schema.ts';

const declared: Record<string, DocumentsDeclaration<RootIndex, unknown, unknown>> = { ...modules, ...members };
/**
 * A document as its module reads it, and the time it covers; cut into the pieces the module sends a
 * large view in once, when the first tab is sent it; and the part of it that covers a time.
 */
const readerOf =
	(declaration: DocumentsDeclaration<RootIndex, unknown, unknown>): PartReader =>
	(url, doc) => {
		const view = declaration.read([{ url, doc }]);
		const span = declaration.span?.(view);
		const inPieces = (whole: unknown) => declaration.pieces?.(whole) ?? [whole];
		let pieces: unknown[] | undefined;
		const within = declaration.within;
		return {
			pieces: () => (pieces ??= inPieces(view)),
			...(span ? { span } : {}),
			...(within ? { within: (shown: Span) => inPieces(within(view, shown)) } : {})
		};
	};
const readers: Record<string, PartReader> = Object.fromEntries(
	Object.entries(declared).flatMap(([name, declaration]) => (declaration.combine ? [[name, readerOf(declaration)]] : []))
);

const actions: Record<string, ModuleActions> = Object.fromEntries(
	Object.entries(declared).flatMap(([name, declaration]) => (declaration.actions ? [[name, declaration.actions]] : []))
);

const host = new BackgroundHost(readers, actions);
const scope = self as unknown as { onconnect?: unknown; addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void };
if ('onconnect' in scope) {
	scope.addEventListener('connect', (event) => {
		const port = event.ports[0]!;
		host.serve(port as unknown as Port);
		port.start();
	});
} else {
	host.serve(self as unknown as Port);
}
