import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../tests/relay/harness.ts';
import { ChangeLog, KEEP_DAYS, type ChangeRecord } from './change-log.ts';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-06-01T10:00:00Z');
const rec = (at: number, member: string, document = 'doc1', hash = `h${at}${member}`): ChangeRecord => ({ at, document, hash, actor: `actor-${member}`, member, device: `dev-${member}` });

describe('the change log', () => {
	it('answers who changed what since a moment, per member and per document', () => {
		const log = new ChangeLog(tempDir(), undefined, () => START);
		log.record('lindenbuurt', [rec(START - 3000, 'anna'), rec(START - 2000, 'bert', 'doc2'), rec(START - 1000, 'anna', 'doc2')]);
		expect(log.query('lindenbuurt', { member: 'anna' }).map((r) => r.document)).toEqual(['doc1', 'doc2']);
		expect(log.query('lindenbuurt', { since: START - 2500 }).map((r) => r.member)).toEqual(['bert', 'anna']);
		expect(log.query('lindenbuurt', { document: 'doc2' })).toHaveLength(2);
		expect(log.recent('lindenbuurt', 1)[0]!.member).toBe('anna');
		expect(log.query('eikenbuurt')).toEqual([]);
	});

	it('writes nothing but ids and hashes, readable by the relay’s user alone, and keeps it over a restart', () => {
		const data = tempDir();
		const log = new ChangeLog(data, undefined, () => START);
		log.record('lindenbuurt', [rec(START, 'anna')]);
		log.close();
		const folder = join(data, 'changes', 'lindenbuurt');
		const file = join(folder, readdirSync(folder)[0]!);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(statSync(folder).mode & 0o777).toBe(0o700);
		expect(Object.keys(JSON.parse(readFileSync(file, 'utf8').trim())).sort()).toEqual(['actor', 'at', 'device', 'document', 'hash', 'member']);
		const again = new ChangeLog(data, undefined, () => START);
		expect(again.query('lindenbuurt')).toEqual([rec(START, 'anna')]);
	});

	it('writes in batches, and a flush puts everything waiting on disk', () => {
		const data = tempDir();
		const log = new ChangeLog(data, undefined, () => START);
		for (let i = 0; i < 10; i++) log.record('lindenbuurt', [rec(START + i, 'anna')]);
		expect(new ChangeLog(data, undefined, () => START).query('lindenbuurt')).toHaveLength(0);
		expect(log.query('lindenbuurt')).toHaveLength(10);
		log.flush();
		expect(new ChangeLog(data, undefined, () => START).query('lindenbuurt')).toHaveLength(10);
	});

	it(`keeps ${KEEP_DAYS} days and removes older days`, () => {
		const data = tempDir();
		let now = START;
		const log = new ChangeLog(data, undefined, () => now);
		log.record('lindenbuurt', [rec(START, 'anna'), rec(START + 10 * DAY, 'bert')]);
		log.flush();
		now = START + (KEEP_DAYS + 2) * DAY;
		expect(log.query('lindenbuurt').map((r) => r.member)).toEqual(['bert']);
		expect(log.prune()).toBe(1);
		expect(readdirSync(join(data, 'changes', 'lindenbuurt'))).toHaveLength(1);
		// A relay that starts after a long stop prunes at once.
		now = START + (KEEP_DAYS + 20) * DAY;
		new ChangeLog(data, undefined, () => now);
		expect(readdirSync(join(data, 'changes', 'lindenbuurt'))).toHaveLength(0);
	});
});
