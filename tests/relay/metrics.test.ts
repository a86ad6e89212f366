// /metrics for the operator's monitoring: Prometheus' text format, read here by a parser of that
// format. The figures move when a device syncs and when the relay turns something away, and no
// neighbourhood, member or document appears in them.
import parse, { type Family } from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import type { RootDoc } from '../../src/lib/neighbourhood/document.ts';
import { updateDetails } from '../../src/lib/neighbourhood/mutations.ts';
import { emptyDetails } from '../../src/lib/neighbourhood/schema.ts';
import { client, door, eventually, find, hostNeighbourhood, nameOf, rawSocket, shutdown, startTestRelay, type TestRelay } from './harness.ts';

let relay: TestRelay | undefined;
afterEach(async () => {
	await shutdown(relay);
	relay = undefined;
});

async function scrape(): Promise<{ text: string; families: Map<string, Family> }> {
	const response = await fetch(`${relay!.url}/metrics`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toContain('text/plain');
	const text = await response.text();
	return { text, families: new Map(parse(text).map((f) => [f.name, f])) };
}

/** One sample's value: the family's only one, or the one with these labels (0 when absent). */
function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
	const family = families.get(name);
	if (!family) throw new Error(`no ${name} in /metrics`);
	const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
	return sample?.value === undefined ? 0 : Number(sample.value);
}

describe('/metrics', () => {
	it('counts connections, documents, messages and round trips as a device syncs, and what the relay refuses', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const before = (await scrape()).families;
		expect(value(before, 'noaber_neighbourhoods')).toBe(1);
		expect(value(before, 'noaber_storage_writable')).toBe(1);
		expect(before.get('noaber_process_resident_memory_bytes')?.type).toBe('GAUGE');
		expect(value(before, 'noaber_messages_total', { direction: 'in' })).toBe(0);

		const device = client(relay, hosted.key);
		await eventually(() => device.peers.length, (n) => n > 0, 30_000);
		const root = await find<RootDoc>(device, hosted.root);
		await eventually(() => root.isReady(), Boolean);
		updateDetails(root, emptyDetails('Lindenbuurt-Oost'));
		await eventually(() => nameOf(relay!.repo.handles[root.documentId]?.doc()), (name) => name === 'Lindenbuurt-Oost');

		const during = await eventually(() => scrape().then((s) => s.families), (f) => value(f, 'noaber_sync_round_trip_seconds') >= 0 && Number(f.get('noaber_sync_round_trip_seconds')?.metrics[0]?.count ?? 0) > 0);
		expect(value(during, 'noaber_connections')).toBe(1);
		expect(value(during, 'noaber_documents_loaded')).toBeGreaterThanOrEqual(1);
		expect(value(during, 'noaber_messages_total', { direction: 'in' })).toBeGreaterThan(0);
		expect(value(during, 'noaber_messages_total', { direction: 'out' })).toBeGreaterThan(0);
		expect(value(during, 'noaber_storage_bytes')).toBeGreaterThan(0);

		// A wrong key at the door, and a frame that is no message from a device let in.
		expect(await rawSocket(door(relay, `${hosted.key}x`)).closed).toBe(4401);
		const bad = rawSocket(door(relay, hosted.key));
		await bad.opened;
		bad.socket.send(new Uint8Array([0xff, 0x00, 0x13]));
		expect(await bad.closed).toBe(4400);
		const after = await eventually(() => scrape(), (s) => value(s.families, 'noaber_closed_connections_total', { code: '4400' }) === 1);
		expect(value(after.families, 'noaber_refused_connections_total', { reason: 'credential' })).toBe(1);
		// Counts only: nothing names the neighbourhood, the document or the device.
		for (const secretOrId of [hosted.id, hosted.root.replace('automerge:', ''), hosted.key, hosted.memberId]) expect(after.text).not.toContain(secretOrId);
		await shutdown(device);
	});
});
