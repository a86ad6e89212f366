import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { createNeighbourhood } from './create.ts';
import { addHelpPeriod } from './mutations.ts';
import { readNeighbourhood } from './view.ts';
import { emptyDetails } from './schema.ts';

describe('the root read once per version', () => {
	it('gives the same read while the root is unchanged, and a new one once it changed', () => {
		const { root } = createNeighbourhood(new Repo(), emptyDetails('Lindenbuurt'), { relays: [] });
		const first = readNeighbourhood(root.doc());
		expect(first.ok).toBe(true);
		expect(readNeighbourhood(root.doc())).toBe(first);
		addHelpPeriod(root, '2026Q4', 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu');
		const changed = readNeighbourhood(root.doc());
		expect(changed).not.toBe(first);
		expect(changed.ok && JSON.stringify(changed.neighbourhood.docs.help)).toContain('automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu');
		expect(first.ok && JSON.stringify(first.neighbourhood.docs.help)).not.toContain('automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu');
		// What is not a document is read as it is: a root that cannot be read says so.
		expect(readNeighbourhood(undefined).ok).toBe(false);
	});
});
