import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../tests/relay/harness.ts';
import { newMember } from '../tests/relay/members.ts';
import { AccessBook } from './access-book.ts';

describe('the access book on disk', () => {
	it('keeps only hashes, readable by the relay’s user alone', () => {
		const data = tempDir();
		const book = new AccessBook(data);
		const anna = newMember(book, 'lindenbuurt', { name: 'Anna' });
		const { ticket } = book.makeTicket('lindenbuurt', {});
		const file = join(data, 'access', 'lindenbuurt.json');
		const text = readFileSync(file, 'utf8');
		for (const secret of [anna.credential, ticket]) expect(text).not.toContain(secret.split('.')[1]);
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('sees what another process (the operator command) changed, and a half-written file locks nobody out', () => {
		const data = tempDir();
		const relay = new AccessBook(data);
		const anna = newMember(relay, 'lindenbuurt', { name: 'Anna' });
		const shell = new AccessBook(data);
		const bert = newMember(shell, 'lindenbuurt', { name: 'Bert' });
		relay.reloadIfChanged();
		expect(relay.holder(bert.credential)).toMatchObject({ memberId: bert.memberId });

		writeFileSync(join(data, 'access', 'lindenbuurt.json'), '{"members": {');
		relay.reloadIfChanged();
		expect(relay.holder(anna.credential)).toMatchObject({ memberId: anna.memberId, status: 'active' });
	});

	it('tells when each device was last seen, as a time the manager can read', () => {
		let now = Date.UTC(2026, 11, 5, 9, 30);
		const book = new AccessBook(tempDir(), () => now);
		const anna = newMember(book, 'lindenbuurt', { name: 'Anna' });
		const devices = () => book.members('lindenbuurt').members.find((m) => m.id === anna.memberId)!.devices;
		expect(devices()).toEqual([expect.objectContaining({ id: anna.deviceId, lastSeenAt: undefined })]);
		now += 60_000;
		book.seen(anna.deviceId);
		expect(devices()[0]!.lastSeenAt).toBe('2026-12-05T09:31:00.000Z');
	});

	it('refuses a credential with a right id and a wrong secret', () => {
		const book = new AccessBook(tempDir());
		const anna = newMember(book, 'lindenbuurt', { name: 'Anna' });
		const [id] = anna.credential.split('.');
		expect(book.holder(`${id}.${'A'.repeat(43)}`)).toEqual({ refused: 'credential' });
	});
});
