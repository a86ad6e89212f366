// "Melden": a member reports a post, a response or an activity; only managers read the reports
// (with who made them) and mark them dealt with; the managers hear of each report once, without
// its reason.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewsItem } from '../../src/lib/news/item.ts';
import type { Report } from '../../src/lib/notify/api.ts';
import { hostNeighbourhood, newMember, startTestRelay, stopAfterEach, type TestRelay } from './harness.ts';
import { notifyCall } from './notify-call.ts';
import { toManagers } from '../../relay/report-actions.ts';
import { reportNews } from '../../src/lib/report/news.ts';

let relay: TestRelay | undefined;
stopAfterEach(() => relay);

const POST = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
const REASON = 'Er staat een telefoonnummer 06-12345678 in';

describe('reports', () => {
	it('a member reports a post once; the managers hear of it once, without the reason or the reporter', async () => {
		const heard: Array<[string, NewsItem]> = [];
		relay = await startTestRelay({ reportMail: { reported: (n, item) => heard.push([n, item]) } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const target = { kind: 'post', id: POST, document: hosted.root };

		const first = await notifyCall(relay.url, 'report', { target, reason: REASON }, bert.credential);
		expect(first.status).toBe(200);
		const again = await notifyCall(relay.url, 'report', { target, reason: 'nog een keer' }, bert.credential);
		expect(again.status).toBe(200);
		expect(again.body.reportId).toBe(first.body.reportId);

		expect(heard).toHaveLength(1);
		const [neighbourhood, item] = heard[0]!;
		expect(neighbourhood).toBe(hosted.id);
		expect(item).toMatchObject({ kind: 'report', path: '/leden/meldingen', subject: { module: 'help', id: POST } });
		const said = JSON.stringify(item);
		expect(said).not.toContain('telefoonnummer');
		expect(said).not.toContain('06-12345678');
		expect(said).not.toContain(bert.memberId);

		// The reason is not in the log either: a report may quote what it is about.
		expect(relay.logs.join('')).not.toContain('telefoonnummer');
		const file = join(relay.data, 'reports', `${hosted.id}.json`);
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('a neighbour cannot read the reports; a manager can, sees who and why, and marks one dealt with', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const agenda = newMember(relay.access, hosted.id, { name: 'Ans', roles: ['agenda', 'intermediary'] });
		await notifyCall(relay.url, 'report', { target: { kind: 'response', id: 'r'.repeat(16), post: POST, document: hosted.root }, reason: REASON }, bert.credential);
		const event = await notifyCall(relay.url, 'report', { target: { kind: 'event', id: 'e'.repeat(16), document: hosted.root }, reason: 'Reclame' }, agenda.credential);
		expect(event.status).toBe(200);

		expect((await notifyCall(relay.url, 'reports', {}, bert.credential)).status).toBe(403);
		expect((await notifyCall(relay.url, 'reports', {}, agenda.credential)).status).toBe(403);
		expect((await notifyCall(relay.url, 'reports', {})).status).toBe(401);
		expect((await notifyCall(relay.url, 'handled', { reportId: event.body.reportId }, bert.credential)).status).toBe(403);

		const listed = await notifyCall(relay.url, 'reports', {}, hosted.key);
		expect(listed.status).toBe(200);
		const reports = listed.body.reports as Report[];
		expect(reports.map((r) => [r.target.kind, r.by, r.reason])).toEqual([
			['event', agenda.memberId, 'Reclame'],
			['response', bert.memberId, REASON]
		]);
		expect(reports.every((r) => r.handledAt === undefined)).toBe(true);

		expect((await notifyCall(relay.url, 'handled', { reportId: event.body.reportId }, hosted.key)).status).toBe(200);
		expect((await notifyCall(relay.url, 'handled', { reportId: 'x'.repeat(16) }, hosted.key)).status).toBe(404);
		const after = (await notifyCall(relay.url, 'reports', {}, hosted.key)).body.reports as Report[];
		expect(after[0]).toMatchObject({ id: event.body.reportId, handledBy: hosted.memberId });
		expect(after[0]!.handledAt).toEqual(expect.any(String));
		expect(after[1]!.handledAt).toBeUndefined();
	});

	it('refuses a report about a document of another neighbourhood, an empty reason, and a removed member', async () => {
		relay = await startTestRelay();
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const other = await hostNeighbourhood(relay, 'Beukenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		const elsewhere = await notifyCall(relay.url, 'report', { target: { kind: 'post', id: POST, document: other.root }, reason: REASON }, bert.credential);
		expect(elsewhere.status).toBe(404);
		expect((await notifyCall(relay.url, 'report', { target: { kind: 'post', id: POST, document: hosted.root }, reason: '   ' }, bert.credential)).status).toBe(400);
		relay.access.removeMember(hosted.id, bert.memberId);
		expect((await notifyCall(relay.url, 'report', { target: { kind: 'post', id: POST, document: hosted.root }, reason: REASON }, bert.credential)).status).toBe(403);
		expect((await notifyCall(relay.url, 'reports', {}, hosted.key)).body.reports).toEqual([]);
	});

	it("goes to every manager's phone notifications, each copy for that manager", async () => {
		const told: NewsItem[] = [];
		relay = await startTestRelay({ reportMail: { reported: undefined } });
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const second = newMember(relay.access, hosted.id, { name: 'Ans', roles: ['manager'] });
		newMember(relay.access, hosted.id, { name: 'Cor', roles: ['intermediary'] });
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		toManagers(relay.access, (_n, item) => told.push(item))(hosted.id, reportNews({ id: 'r'.repeat(16), at: new Date().toISOString(), target: { kind: 'post', id: POST, document: hosted.root } }));
		expect(told.map((i) => i.for).sort()).toEqual([hosted.memberId, second.memberId].sort());
		expect(told.every((i) => i.kind === 'report' && i.for !== bert.memberId)).toBe(true);
	});

	it('keeps the reports when the relay restarts', async () => {
		relay = await startTestRelay();
		const data = relay.data;
		const hosted = await hostNeighbourhood(relay, 'Lindenbuurt');
		const bert = newMember(relay.access, hosted.id, { name: 'Bert' });
		await notifyCall(relay.url, 'report', { target: { kind: 'post', id: POST, document: hosted.root }, reason: REASON }, bert.credential);
		await relay.close();
		relay = await startTestRelay({ data });
		const reports = (await notifyCall(relay.url, 'reports', {}, hosted.key)).body.reports as Report[];
		expect(reports.map((r) => r.reason)).toEqual([REASON]);
	});
});
