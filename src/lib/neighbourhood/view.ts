import * as v from 'valibot';
import { RootView, type Neighbourhood } from './schema.ts';

export type RootRead = { ok: true; neighbourhood: Neighbourhood } | { ok: false; problems: string[] };

/** A root from any peer, as the app can show it; `ok: false` when it cannot be a neighbourhood. */
export function readNeighbourhood(doc: unknown): RootRead {
	const result = v.safeParse(RootView, doc);
	if (result.success) return { ok: true, neighbourhood: result.output };
	return { ok: false, problems: result.issues.map((i) => `${v.getDotPath(i) ?? 'root'}: ${i.message}`) };
}

export type EditorModule = 'agenda' | 'map';

/** Managers, and volunteers a manager marked as editors of the module, may edit every item in it. */
export const isEditor = (n: Neighbourhood, module: EditorModule, memberId: string | undefined): boolean =>
	isManager(n, memberId) || n.editors.some((e) => e.module === module && e.memberId === memberId);

export const isManager = (n: Neighbourhood, memberId: string | undefined): boolean =>
	memberId !== undefined && n.managers.includes(memberId);
