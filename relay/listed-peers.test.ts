import { Repo } from '@automerge/automerge-repo/slim';
import { describe, expect, it } from 'vitest';
import { createNeighbourhood } from '../src/lib/neighbourhood/create.ts';
import { emptyDetails } from '../src/lib/neighbourhood/schema.ts';
import { listedPeers } from './listed-peers.ts';

const wijkhuis = { url: 'https://wijkhuis.example.nl', secret: 'a.b' };
const bieb = { url: 'https://bieb.example.nl', secret: 'c.d' };

describe('the paired relays a neighbourhood still lists', () => {
	it('leaves out a relay the root no longer lists, and counts every one while the root is unknown', () => {
		const repo = new Repo({ network: [] });
		const { root } = createNeighbourhood(repo, emptyDetails('Lindenbuurt'), { relays: ['wss://wijkhuis.example.nl/sync'] });
		expect(listedPeers([wijkhuis, bieb], root.doc())).toEqual([wijkhuis]);
		expect(listedPeers([wijkhuis, bieb], undefined)).toEqual([wijkhuis, bieb]);
		expect(listedPeers([wijkhuis, bieb], { not: 'a neighbourhood' })).toEqual([wijkhuis, bieb]);
	});
});
