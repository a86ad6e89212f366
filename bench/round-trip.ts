// An honest member's sync round trip through the relay: a change on one device until another
// device sees it. Shared by bench/flood.ts and the fairness tests.
import type { DocHandle, DocHandleChangePayload } from '@automerge/automerge-repo/slim';
import type { RootDoc } from '../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import { readNeighbourhood } from '../src/lib/neighbourhood/view.ts';

const nameOf = (doc: unknown): string | undefined => {
	const read = readNeighbourhood(doc);
	return read.ok ? read.neighbourhood.name : undefined;
};

let rounds = 0;

/** Milliseconds from renaming the neighbourhood on `from` until `to` shows the new name. */
export async function roundTrip(from: DocHandle<RootDoc>, to: DocHandle<RootDoc>, timeoutMs = 15_000): Promise<number> {
	const name = `Rondje ${++rounds}`;
	let listener: ((payload: DocHandleChangePayload<RootDoc>) => void) | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const seen = new Promise<number>((done, fail) => {
		listener = ({ doc }) => {
			if (nameOf(doc) === name) done(performance.now());
		};
		to.on('change', listener);
		timer = setTimeout(() => fail(new Error(`"${name}" did not arrive within ${timeoutMs} ms`)), timeoutMs);
	});
	const start = performance.now();
	updateDetails(from, emptyDetails(name));
	try {
		return (await seen) - start;
	} finally {
		to.off('change', listener);
		clearTimeout(timer);
	}
}

/**
 * Several round trips one after another. With `timeoutMs`, a change that never arrives counts as
 * Infinity instead of failing (a relay being measured before a fix may never deliver it).
 */
export async function roundTrips(from: DocHandle<RootDoc>, to: DocHandle<RootDoc>, samples: number, timeoutMs?: number): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < samples; i++) {
		if (timeoutMs === undefined) times.push(await roundTrip(from, to));
		else times.push(await roundTrip(from, to, timeoutMs).catch(() => Infinity));
	}
	return times;
}

/** The value below which `fraction` of the samples fall (nearest rank). */
export function percentile(values: number[], fraction: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}
