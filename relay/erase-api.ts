// The access API's erasure actions (POST /api/access/erase …): who may erase whom, the records
// devices check their copies against, a fresh copy of a document, and the auto-erase period.
import type { AutomergeUrl, Repo } from '@automerge/automerge-repo/slim';
import * as A from '@automerge/automerge/slim';
import type { Refusal } from '../src/lib/access/api.ts';
import { mayManage } from '../src/lib/access/roles.ts';
import type { Holder } from './access-book.ts';
import type { Eraser } from './erase.ts';
import type { Registry } from './registry.ts';

export type ErasureAction = 'erase' | 'erasures' | 'document' | 'eraseAfter';
export const ERASURE_ACTIONS = new Set<string>(['erase', 'erasures', 'document', 'eraseAfter']);

export interface ErasureContext {
	eraser?: Eraser;
	repo: Repo;
	registry: Registry;
	/** Open connections are checked again: the erased member's devices are closed. */
	revoked: () => void;
	/** The neighbourhood's open devices ask who they are, and what was erased, again. */
	changed: (neighbourhood: string) => void;
}

/**
 * Oneself; any member for a manager (someone who asked on paper); a resident one acts for, for an
 * intermediary (the resident withdrew consent).
 */
export const mayErase = (holder: Pick<Holder, 'memberId' | 'roles' | 'actsFor'>, memberId: string): boolean =>
	holder.memberId === memberId || mayManage(holder.roles) || holder.actsFor.includes(memberId);

export async function handleErasure(
	action: ErasureAction,
	body: Record<string, unknown>,
	holder: Holder,
	json: (status: number, body: unknown) => void,
	refuse: (refusal: Refusal) => void,
	context: ErasureContext
): Promise<void> {
	const { eraser } = context;
	if (!eraser) return refuse('unknown');
	const n = holder.neighbourhood;
	switch (action) {
		case 'erase': {
			const memberId = body.memberId as string;
			if (!mayErase(holder, memberId)) return refuse('forbidden');
			const result = await eraser.erase(n, memberId, holder.memberId);
			if ('refused' in result) return refuse(result.refused);
			context.revoked();
			context.changed(n);
			return json(200, result);
		}
		case 'erasures':
			return json(200, { erasures: eraser.records(n), eraseAfterMonths: eraser.eraseAfterMonths(n) });
		case 'document': {
			const id = body.document as string;
			if (context.registry.ownerOf(id) !== n) return refuse('unknown');
			const handle = await context.repo.find(`automerge:${id}` as AutomergeUrl, { allowableStates: ['ready', 'unavailable'] }).catch(() => undefined);
			if (!handle?.isReady()) return refuse('unknown');
			return json(200, { data: Buffer.from(A.save(handle.doc() as A.Doc<unknown>)).toString('base64') });
		}
		case 'eraseAfter':
			if (!mayManage(holder.roles)) return refuse('forbidden');
			eraser.setEraseAfter(n, body.months as number);
			return json(200, {});
	}
}
