// A benchmark's `--name value` options, read the same way by each.

export function option(name: string): string | undefined {
	const at = process.argv.indexOf(`--${name}`);
	return at >= 0 ? process.argv[at + 1] : undefined;
}

/** A whole number of at least 1, or the fallback when the option is not given. */
export function count(name: string, fallback: number): number {
	const value = Number(option(name) ?? fallback);
	if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} wants a whole number, not "${option(name)}"`);
	return value;
}

/** `--name label=value`, as often as given (a bare value is its own label). */
export function labelled(name: string): { label: string; value: string }[] {
	return process.argv.flatMap((arg, i) => {
		if (arg !== `--${name}`) return [];
		const spec = process.argv[i + 1] ?? '';
		const at = spec.indexOf('=');
		return [at >= 0 ? { label: spec.slice(0, at), value: spec.slice(at + 1) } : { label: spec, value: spec }];
	});
}
