// The event description as several volunteers type it at once, and who else is editing: the
// agenda's document shape stays here, out of the components.
import type { DocHandle } from '@automerge/automerge-repo/slim';
import { EditingPresence } from '../automerge/presence.svelte.ts';
import { SharedText } from '../automerge/shared-text.svelte.ts';
import type { AgendaDoc } from './document.ts';
import { typeDescription, type Actor } from './mutations.ts';

export function liveDescription(handle: DocHandle<AgendaDoc>, eventId: string, actor: Actor): SharedText {
	return new SharedText(handle, ['events', eventId, 'description'], (text) => typeDescription(handle, eventId, text, actor));
}

export function editingPresence(handle: DocHandle<AgendaDoc>, memberId: string, eventId: string): EditingPresence {
	return new EditingPresence(handle, memberId, `event:${eventId}`.slice(0, 64));
}
