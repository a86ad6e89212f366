import { describe, expect, it } from 'vitest';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { readNeighbourhood } from '../../src/lib/neighbourhood/view.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { client, eventually, find, hostNeighbourhood, startTestRelay, type TestRelay, nameOf, stopAfterEach } from './harness.ts';

let relay: TestRelay | undefined;
const repos = stopAfterEach(() => relay);


describe('syncing through the relay', () => {
	it('two residents with the same key see each other’s changes', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		const bert = client(relay, hosted.key);
		repos.push(anna, bert);

		const annasRoot = await find<RootDoc>(anna, hosted.root);
		expect(annasRoot.isReady()).toBe(true);
		expect(nameOf(annasRoot.doc())).toBe('Lindenbuurt');
		const bertsRoot = await find<RootDoc>(bert, hosted.root);

		updateDetails(annasRoot, { ...emptyDetails('Lindenbuurt-Noord'), contactPhone: '020 123 4567' });
		await eventually(() => nameOf(bertsRoot.doc()), (name) => name === 'Lindenbuurt-Noord');
		const read = readNeighbourhood(bertsRoot.doc());
		expect(read.ok && read.neighbourhood.contact.phone).toBe('020 123 4567');
	});

	it('keeps documents a member created later (a new module document) for the neighbourhood', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const anna = client(relay, hosted.key);
		const bert = client(relay, hosted.key);
		repos.push(anna, bert);
		await find(anna, hosted.root);
		const created = anna.create<{ posts: Record<string, string> }>({ posts: { a: 'boodschappen' } });
		await eventually(() => relay!.registry.ownerOf(created.documentId), (owner) => owner === hosted.id);
		const seen = await eventually(
			() => find<{ posts: Record<string, string> }>(bert, created.url),
			(h) => h.isReady()
		);
		expect(seen.doc().posts.a).toBe('boodschappen');
	});
});
