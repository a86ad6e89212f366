// Checking what comes in from a form, a file or a peer against a domain schema. Errors are
// message keys per field (a valibot dot path), which the app turns into plain language.
import * as v from 'valibot';

export type Invalid = { ok: false; errors: Record<string, string> };
export type Valid<T> = { ok: true; value: T };

/** The first problem of each field. */
export function errorsOf(issues: v.BaseIssue<unknown>[]): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of issues) errors[v.getDotPath(issue) ?? 'form'] ??= issue.message;
	return errors;
}

export function check<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Valid<T> | Invalid {
	const result = v.safeParse(schema, input);
	return result.success ? { ok: true, value: result.output } : { ok: false, errors: errorsOf(result.issues) };
}
