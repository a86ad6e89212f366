import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { createNeighbourhood } from './create.ts';
import { reseedRelays } from './mutations.ts';
import { emptyDetails } from './schema.ts';

describe('the new relay first after re-seeding', () => {
	it('puts it first once, keeps the others behind it, and writes nothing when it is first already', () => {
		const { root } = createNeighbourhood(new Repo(), emptyDetails('Lindenbuurt'), { relays: ['wss://oud.example/sync', 'wss://bieb.example/sync'] });
		reseedRelays(root, 'wss://nieuw.example/sync');
		expect(root.doc().relays.map(String)).toEqual(['wss://nieuw.example/sync', 'wss://oud.example/sync', 'wss://bieb.example/sync']);
		reseedRelays(root, 'wss://bieb.example/sync');
		expect(root.doc().relays.map(String)).toEqual(['wss://bieb.example/sync', 'wss://nieuw.example/sync', 'wss://oud.example/sync']);
		const heads = root.heads();
		reseedRelays(root, 'wss://bieb.example/sync');
		expect(root.heads()).toEqual(heads);
	});
});
