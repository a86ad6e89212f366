// A document read by a page: what it shows must be the document as it is, also when it changed
// while no page was reading it (a new activity added on the form, then its own page opened).
import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { ReactiveDoc } from './reactive.svelte.ts';

describe('a document as a page reads it', () => {
	it('is the document as it is now, after a change made while nothing read it', () => {
		const handle = new Repo().create<{ titles: string[] }>({ titles: [] });
		const reactive = new ReactiveDoc(handle);
		expect(reactive.current?.titles).toEqual([]);
		handle.change((doc) => void doc.titles.push('Koffieochtend'));
		expect(reactive.current?.titles).toEqual(['Koffieochtend']);
	});
});
