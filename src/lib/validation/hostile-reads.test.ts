// What a neighbour sees of another member's hostile values: each screen's read model leaves out an
// item whose text could break a line, a feed or a link, counts it, and shows everything else.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { readPosts } from '../help/view.ts';
import { readMap } from '../map/view.ts';
import { readMembers } from '../members/view.ts';
import { PublicPage } from '../neighbourhood/public-page.ts';
import { readNeighbourhood } from '../neighbourhood/view.ts';

const AT = '2026-03-01T09:00:00.000Z';
const stamp = { by: 'anna-0000-0001', at: AT };

describe('hostile values from a peer', () => {
	it('leave a profile out of the member list when its name is not one clean line; a bad phone number is not shown', () => {
		const profile = (id: string, extra: Record<string, unknown>) => ({ id, name: 'Anna', phoneVisibility: 'members', joinedAt: AT, ...extra });
		const read = readMembers({
			members: {
				'anna-0000-0001': profile('anna-0000-0001', { phone: '020 123 4567', helpWith: ['Boodschappen', 'Klus\r\nBEGIN'] }),
				'bert-0000-0001': profile('bert-0000-0001', { name: 'Bert\r\nvan Dijk' }),
				'cees-0000-0001': profile('cees-0000-0001', { name: 'Cees\u202e' }),
				'dirk-0000-0001': profile('dirk-0000-0001', { name: 'Dirk', phone: 'javascript:alert(1)', area: 'Linden\u0000laan' })
			}
		});
		expect(read.items.map((m) => m.name)).toEqual(['Anna', 'Dirk']);
		expect(read.skipped).toBe(2);
		expect(read.items[0]).toMatchObject({ phone: '020 123 4567', helpWith: ['Boodschappen'] });
		expect(read.items[1]).toMatchObject({ phone: '', area: '' });
	});

	it('leave a help post off the board when its title or category breaks a line; a description loses only its control characters', () => {
		const post = (id: string, extra: Record<string, unknown>) => ({
			id,
			kind: 'request',
			category: 'Boodschappen',
			title: 'Wie haalt mijn boodschappen?',
			author: 'anna-0000-0001',
			createdAt: AT,
			status: 'open',
			...extra
		});
		const read = readPosts([
			{
				url: 'automerge:help',
				doc: {
					period: '2026-Q1',
					posts: {
						'post-0000-0001': post('post-0000-0001', { description: 'Graag op dinsdag.\r\nDank je!\u0007' }),
						'post-0000-0002': post('post-0000-0002', { title: 'Hulp\nBEGIN:VEVENT' }),
						'post-0000-0003': post('post-0000-0003', { category: 'Klus\u0000' }),
						'post-0000-0004': post('post-0000-0004', { where: 'Lindelaan\r\n4', when: { kind: 'date', from: '2026-03-10\nX' } })
					}
				}
			}
		]);
		expect(read.items.map((p) => p.id).sort()).toEqual(['post-0000-0001', 'post-0000-0004']);
		expect(read.skipped).toBe(2);
		expect(read.items.find((p) => p.id === 'post-0000-0001')?.description).toBe('Graag op dinsdag.\nDank je!');
		// An odd place or date is dropped, the post stays.
		expect(read.items.find((p) => p.id === 'post-0000-0004')).toMatchObject({ where: '', when: { kind: 'flexible' } });
	});

	it('keep the neighbourhood readable: a poisoned name, phone or category is not shown', () => {
		const read = readNeighbourhood({
			schemaVersion: 3,
			id: 'abcdefgh12345678',
			name: 'Linden\r\nbuurt',
			description: 'Welkom!\r\nKoffie op dinsdag.\u001b[31m',
			contact: { name: 'Wijkverbinder', phone: '020 123 4567\nBel niet', hours: 'ma-vr 9-12' },
			docs: { members: 'automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu' },
			settings: { helpCategories: ['Boodschappen', 'Klus\r\nBEGIN', 'x'.repeat(41)] }
		});
		expect(read.ok).toBe(true);
		if (!read.ok) return;
		expect(read.neighbourhood.name).toBe('');
		expect(read.neighbourhood.description).toBe('Welkom!\nKoffie op dinsdag.[31m');
		expect(read.neighbourhood.contact).toEqual({ name: 'Wijkverbinder', phone: '', hours: 'ma-vr 9-12' });
		expect(read.neighbourhood.settings.helpCategories).toEqual(['Boodschappen']);
	});

	it('keep the social map clean: a service with a broken name is left out, a bad address or link is not shown', () => {
		const service = (id: string, extra: Record<string, unknown>) => ({
			id,
			organization: 'org-0000-0001',
			name: 'Spreekuur',
			reviewed: stamp,
			created: stamp,
			updated: stamp,
			...extra
		});
		const read = readMap([
			{
				organizations: {
					'org-0000-0001': { id: 'org-0000-0001', name: 'Welzijn', email: 'info@welzijn.nl\r\nBcc: iedereen@x.nl', website: 'https://welzijn.nl\n', phone: '020 1234567', created: stamp, updated: stamp }
				},
				services: {
					'svc-0000-0001': service('svc-0000-0001', {
						themes: { welzijn: true, 'thema\r\nX': true },
						phones: { 'phone-000001': { id: 'phone-000001', number: 'tel:+31\r\n1' }, 'phone-000002': { id: 'phone-000002', number: '020 555 0101' } }
					}),
					'svc-0000-0002': service('svc-0000-0002', { name: 'Spreekuur\u0000' })
				},
				locations: {},
				serviceAtLocations: {}
			}
		]);
		expect(read.services.map((s) => s.id)).toEqual(['svc-0000-0001']);
		expect(read.services[0].themes).toEqual(['welzijn']);
		expect(read.services[0].phones.map((p) => p.number)).toEqual(['020 555 0101']);
		expect(read.organizations[0]).toMatchObject({ email: '', website: '', phone: '020 1234567' });
		expect(read.skipped).toBe(2);
	});

	it('are refused in the public page the relay sends, as in the documents it is made from', () => {
		const page = {
			name: 'Lindenbuurt',
			description: 'Welkom',
			contact: { phone: '020 123 4567', hours: '' },
			week: { from: '2026-03-09T00:00', to: '2026-03-16T00:00' },
			activities: [{ title: 'Bingo', start: '2026-03-10T10:00', end: '2026-03-10T11:00', allDay: false, place: 'Buurthuis' }]
		};
		expect(v.is(PublicPage, page)).toBe(true);
		expect(v.is(PublicPage, { ...page, activities: [{ ...page.activities[0], title: 'Bingo\r\n<script>' }] })).toBe(false);
		expect(v.is(PublicPage, { ...page, contact: { phone: 'javascript:alert(1)', hours: '' } })).toBe(false);
	});
});
