// Fields of a record in an imported file, which can hold any JSON: text is trimmed and may be
// written as a number, a list keeps only its records, and a number may be written as text with a
// decimal comma.
import { isRecord } from '../../automerge/fields.ts';

export type Obj = Record<string, unknown>;

export const textOf = (x: unknown): string => (typeof x === 'string' ? x.trim() : typeof x === 'number' && Number.isFinite(x) ? String(x) : '');
export const listOf = (x: unknown): Obj[] => (Array.isArray(x) ? x.filter(isRecord) : []);

/** NaN for a value that is there but is not a number, so it is not taken for a missing one. */
export function numberOf(x: unknown): number | undefined {
	if (typeof x === 'number') return Number.isFinite(x) ? x : NaN;
	if (typeof x === 'string' && x.trim()) {
		const n = Number(x.trim().replace(',', '.'));
		return Number.isFinite(n) ? n : NaN;
	}
	return undefined;
}
