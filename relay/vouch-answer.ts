// This relay's answer to a paired relay asking about changes a device passed on to it
// (vouching.ts): which of them this relay holds, so it judged them, and whose their actors are
// here. Only for a document of that neighbourhood; a document not in memory is loaded from disk
// for the question, as for judging.
import * as A from '@automerge/automerge/slim';
import type { ActorBook } from './actors.ts';
import type { VouchAnswer, VouchRequest } from './vouching.ts';

export interface VouchAnswerOptions {
	ownerOf: (documentId: string) => string | undefined;
	actors: ActorBook;
	/** The relay's copy of a document, loaded if need be; undefined when it holds none. */
	documentOf: (documentId: string) => Promise<A.Doc<unknown> | undefined>;
}

export function answerVouch(options: VouchAnswerOptions): (request: VouchRequest) => Promise<VouchAnswer> {
	return async ({ neighbourhood, document, changes }) => {
		if (options.ownerOf(document) !== neighbourhood) return { held: [], actors: {} };
		const doc = await options.documentOf(document);
		const held = doc ? changes.filter((c) => A.hasHeads(doc, [c.hash])).map((c) => c.hash) : [];
		const actors: VouchAnswer['actors'] = {};
		for (const { actor } of changes) {
			const binding = options.actors.get(neighbourhood, actor);
			if (binding) actors[actor] = binding.device ? { member: binding.member, device: binding.device } : { member: binding.member };
		}
		return { held, actors };
	};
}
