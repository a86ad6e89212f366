import { describe, expect, it } from 'vitest';
import { mayUse } from '../../relay/access.ts';

describe('who may use a document', () => {
	const registry = { ownerOf: (id: string) => ({ doc1: 'linden', doc2: 'beuken' })[id] };

	it('only the owning neighbourhood, and nobody for an unknown document', () => {
		expect(mayUse(registry, 'linden', 'doc1')).toBe(true);
		expect(mayUse(registry, 'linden', 'doc2')).toBe(false);
		expect(mayUse(registry, 'linden', 'doc3')).toBe(false);
		expect(mayUse(registry, undefined, 'doc1')).toBe(false);
		expect(mayUse(registry, 'linden', undefined)).toBe(false);
	});
});
