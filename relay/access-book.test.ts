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

describe('asking again when access changed', () => {
	it('finds a device let in before by its id alone, until it or its member is removed', () => {
		const book = new AccessBook(tempDir());
		const anna = newMember(book, 'lindenbuurt', { name: 'Anna' });
		const bert = newMember(book, 'lindenbuurt', { name: 'Bert' });
		expect(book.deviceHolder(anna.deviceId)).toMatchObject({ neighbourhood: 'lindenbuurt', memberId: anna.memberId, deviceId: anna.deviceId, status: 'active' });
		expect(book.removeDevice('lindenbuurt', anna.deviceId)).toBeUndefined();
		expect(book.deviceHolder(anna.deviceId)).toEqual({ refused: 'removed' });
		expect(book.deviceHolder(bert.deviceId)).toMatchObject({ memberId: bert.memberId });
		expect(book.removeMember('lindenbuurt', bert.memberId)).toBeUndefined();
		expect(book.deviceHolder(bert.deviceId)).toEqual({ refused: 'removed' });
		// Its credential says the same.
		expect(book.holder(bert.credential)).toEqual({ refused: 'removed' });
		expect(book.deviceHolder('unknown-device')).toEqual({ refused: 'credential' });
	});
});
