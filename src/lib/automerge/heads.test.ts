import { Repo } from '@automerge/automerge-repo';
import { describe, expect, it, vi } from 'vitest';
import { headsKey, sortedKey } from './heads.ts';

describe('heads read once per version of a document', () => {
	it('says the heads as automerge-repo does, and reads them again only after a change', () => {
		const repo = new Repo({});
		const handle = repo.create<{ n: number }>({ n: 0 });
		const heads = vi.spyOn(handle, 'heads');
		const first = headsKey(handle);
		expect(first).toBe(handle.heads().join());
		heads.mockClear();
		expect(headsKey(handle)).toBe(first);
		expect(heads).not.toHaveBeenCalled();
		handle.change((doc) => {
			doc.n = 1;
		});
		const second = headsKey(handle);
		expect(second).not.toBe(first);
		expect(heads).toHaveBeenCalledTimes(1);
		expect(second).toBe(sortedKey(handle.heads()));
	});

	it('says the heads of a view of one moment, which stay as they were', () => {
		const repo = new Repo({});
		const handle = repo.create<{ n: number }>({ n: 0 });
		const then = handle.heads();
		const view = handle.view(then);
		handle.change((doc) => {
			doc.n = 1;
		});
		// Without making the document of that moment (Automerge's `view`), at every call.
		const made = vi.spyOn(view, 'doc');
		expect(headsKey(view)).toBe(sortedKey(then));
		expect(made).not.toHaveBeenCalled();
		expect(headsKey(handle)).not.toBe(headsKey(view));
	});

	it('lists concurrent heads in one order, whichever order they come in', () => {
		const repo = new Repo({});
		const a = repo.create<{ n: number }>({ n: 0 });
		const b = repo.clone(a);
		a.change((doc) => {
			doc.n = 1;
		});
		b.change((doc) => {
			doc.n = 2;
		});
		a.merge(b);
		const listed = a.heads();
		expect(listed).toHaveLength(2);
		expect(headsKey(a)).toBe(sortedKey([...listed].reverse()));
		expect(sortedKey(listed)).toBe(sortedKey([...listed].reverse()));
	});
});
