// "Onze server werkt niet meer": this device brings its neighbourhood to a new relay from its own
// copy, with the code the new relay's operator made (relay/adopt-api.ts). Every document the root
// lists goes whole, history and all, so nothing anyone wrote is lost; the membership then points at
// the new relay with this device's new credential. Pages call this; it opens no connection itself.
import * as A from '@automerge/automerge/slim';
import type { AutomergeUrl, DocHandle, DocumentId, Repo } from '@automerge/automerge-repo/slim';
import type { AdoptRefusal } from '../access/adopt-api.ts';
import { callAdopt } from '../access/adopt-client.ts';
import { listedDocuments } from '../neighbourhood/documents.ts';
import type { Membership } from './memberships.ts';
import { documentIdOf } from '../automerge/document-id.ts';

export interface ReseedInput {
	membership: Membership;
	/** The open neighbourhood's repo: this device's own copy. */
	repo: Repo;
	/** The new relay's websocket address. */
	relay: string;
	code: string;
	neighbourhoodName: string;
	memberName: string;
	label: string;
	progress?: (done: number, total: number) => void;
	call?: typeof callAdopt;
}

export type ReseedOutcome =
	| { ok: true; membership: Membership; brought: number; missing: number }
	| { ok: false; reason: AdoptRefusal | 'offline' | 'noCopy' };


/** Standard base64, in slices: one `String.fromCharCode(...bytes)` overflows the stack for a big document. */
export function base64Of(bytes: Uint8Array): string {
	let binary = '';
	for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
	return btoa(binary);
}

/** This device's copy of a document, or undefined when it has none (it never opened it). */
async function copyOf(repo: Repo, url: string, waitMs = 10_000): Promise<DocHandle<unknown> | undefined> {
	const held = repo.handles[documentIdOf(url) as DocumentId];
	if (held?.isReady()) return held;
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		// The old relay does not answer: only what this device stored can come.
		const handle = await Promise.race([
			repo.find<unknown>(url as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] }),
			new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)))
		]);
		return handle?.isReady() ? handle : undefined;
	} catch {
		return undefined;
	} finally {
		clearTimeout(timer);
	}
}

export async function reseed(input: ReseedInput): Promise<ReseedOutcome> {
	const call = input.call ?? callAdopt;
	const { membership, repo } = input;
	const root = await copyOf(repo, membership.root);
	if (!root) return { ok: false, reason: 'noCopy' };
	const urls = [membership.root, ...listedDocuments(root.doc())];
	const adopted = await call(input.relay, 'adopt', {
		code: input.code,
		root: membership.root,
		name: input.neighbourhoodName,
		memberId: membership.memberId,
		memberName: input.memberName,
		label: input.label
	});
	if (!adopted.ok) return adopted;
	const credential = adopted.value.credential;
	let brought = 0;
	let missing = 0;
	input.progress?.(0, urls.length);
	for (const url of urls) {
		const handle = url === membership.root ? root : await copyOf(repo, url);
		if (!handle) {
			missing += 1;
			continue;
		}
		const sent = await call(input.relay, 'seed', { document: documentIdOf(url), data: base64Of(A.save(handle.doc())) }, credential);
		// Without its root the new relay has no neighbourhood to show: stop and say so.
		if (!sent.ok && url === membership.root) return sent;
		if (sent.ok) brought += 1;
		else missing += 1;
		input.progress?.(brought + missing, urls.length);
	}
	return {
		ok: true,
		brought,
		missing,
		membership: { ...membership, relay: input.relay, credential, key: undefined, status: adopted.value.status, roles: adopted.value.roles }
	};
}
