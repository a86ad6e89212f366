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
