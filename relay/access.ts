// Who may use which document: a document belongs to the neighbourhood whose root lists it, or
// provisionally to the one whose member brought it (claims.ts), and only that neighbourhood's
// connections may read or change it. Asked in three
// places (the repo's share config, incoming and outgoing messages) so that one lapse leaks nothing.
import type { Registry } from './registry.ts';

export function mayUse(
	registry: Pick<Registry, 'ownerOf'>,
	neighbourhood: string | undefined,
	documentId: string | undefined
): boolean {
	return neighbourhood !== undefined && documentId !== undefined && registry.ownerOf(documentId) === neighbourhood;
}
