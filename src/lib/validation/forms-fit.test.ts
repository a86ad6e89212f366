// The app's own forms never store what every device then refuses to show: whatever a person types
// or pastes (line breaks, control characters, emoji, very long text), a form that accepts it
// writes an item that reads back valid, through the same rules (plain-text.ts).
import { Repo } from '@automerge/automerge-repo/slim';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imm } from '../automerge/immutable.ts';
import { LocalDoc } from '../automerge/local-doc.ts';
import type { AgendaDoc } from '../agenda/document.ts';
import { blankEvent, checkEvent, createEvent } from '../agenda/mutations.ts';
import { readEvents } from '../agenda/view.ts';
import type { HelpDoc } from '../help/document.ts';
import { blankPost, checkPost, createPost } from '../help/mutations.ts';
import { readPosts } from '../help/view.ts';
import { newMapDoc } from '../map/create.ts';
import type { MapDoc } from '../map/document.ts';
import { blankLocation, blankOrganization, blankService, checkLocation, checkOrganization, checkService, createLocation, createOrganization, createService } from '../map/mutations.ts';
import { readMap } from '../map/view.ts';
import { blankProfile } from '../members/blank.ts';
import type { MembersDoc } from '../members/document.ts';
import { join } from '../members/mutations.ts';
import { checkProfile } from '../members/schema.ts';
import { readMembers } from '../members/view.ts';
import { createNeighbourhood } from '../neighbourhood/create.ts';
import { checkDetails, updateDetails } from '../neighbourhood/mutations.ts';
import { emptyDetails } from '../neighbourhood/schema.ts';
import { readNeighbourhood } from '../neighbourhood/view.ts';

const ACTOR = { memberId: 'anna-0000-0001' };
const NASTY = ['\r\n', '\r', '\n', '\t', '\u0000', '\u0007', '\u000b', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff', '\ud800', '😀', 'é', ' '];

/** What someone may type or paste: ordinary words with anything in between, sometimes far too long. */
const typed = fc.oneof(
	{ weight: 4, arbitrary: fc.array(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(...NASTY)), { maxLength: 12 }).map((parts) => parts.join('')) },
	{ weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 50, maxLength: 400 }) }
);

const runs = { numRuns: 100 };
let accepted = 0;

describe('what a form accepts, every device shows', () => {
	beforeEach(() => {
		accepted = 0;
	});
	// Not a test of forms that refuse everything: a good share of what was typed was taken. Of 100
	// tries the service form takes 28 to 39 (it has eleven fields that may each refuse), the others
	// more; a floor of 20 failed about once in 400 runs, a floor of 10 is five deviations away.
	afterEach(() => {
		expect(accepted).toBeGreaterThan(10);
	});

	it('an event', () => {
		fc.assert(
			fc.property(fc.record({ title: typed, description: typed, location: typed, organiser: typed, contact: typed, cost: typed, accessibilityNote: typed }), (text) => {
				const checked = checkEvent({ ...blankEvent('2026-03-10'), ...text });
				if (!checked.ok) return;
				accepted += 1;
				const device = new LocalDoc<AgendaDoc>({ period: imm('2026'), events: {} });
				createEvent(device, checked.value, ACTOR);
				const read = readEvents([{ url: 'automerge:agenda', doc: device.doc }]);
				expect(read.skipped).toBe(0);
				expect(read.items[0]).toMatchObject({ title: checked.value.title, description: checked.value.description, organiser: checked.value.organiser });
			}),
			runs
		);
	});

	it('a help post', () => {
		fc.assert(
			fc.property(fc.record({ title: typed, description: typed, where: typed, category: typed }), (text) => {
				const checked = checkPost({ ...blankPost(), ...text });
				if (!checked.ok) return;
				accepted += 1;
				const device = new LocalDoc<HelpDoc>({ period: imm('2026-Q1'), posts: {} });
				createPost(device as never, checked.value, ACTOR);
				const read = readPosts([{ url: 'automerge:help', doc: device.doc }]);
				expect(read.skipped).toBe(0);
				expect(read.items[0]).toMatchObject({ title: checked.value.title, description: checked.value.description, where: checked.value.where });
			}),
			runs
		);
	});

	it('a profile', () => {
		const repo = new Repo();
		fc.assert(
			fc.property(fc.record({ name: typed, area: typed, helpNote: typed, helpWith: fc.array(typed, { maxLength: 3 }) }), (text) => {
				const checked = checkProfile({ ...blankProfile(), ...text });
				if (!checked.ok) return;
				accepted += 1;
				const handle = repo.create<MembersDoc>({ members: {} });
				join(handle, 'anna-0000-0001', checked.value);
				const read = readMembers(handle.doc());
				expect(read.skipped).toBe(0);
				expect(read.items[0]).toMatchObject({ name: checked.value.name, area: checked.value.area, helpNote: checked.value.helpNote });
			}),
			runs
		);
	});

	it('an organisation and a place on the social map', () => {
		fc.assert(
			fc.property(fc.record({ name: typed, description: typed, street: typed, city: typed, transport: typed }), (text) => {
				const organization = checkOrganization({ ...blankOrganization(), name: text.name, description: text.description });
				const location = checkLocation({ ...blankLocation(), name: text.name, street: text.street, city: text.city, transport: text.transport });
				const device = new LocalDoc<MapDoc>(newMapDoc());
				if (organization.ok) createOrganization(device as never, organization.value, ACTOR);
				if (location.ok) createLocation(device as never, location.value, ACTOR);
				if (organization.ok || location.ok) accepted += 1;
				const read = readMap([device.doc]);
				expect(read.skipped).toBe(0);
				expect(read.organizations).toHaveLength(organization.ok ? 1 : 0);
				expect(read.locations).toHaveLength(location.ok ? 1 : 0);
			}),
			runs
		);
	});

	it('a service on the social map, with its address, website, phone and themes', () => {
		const withNasty = (valid: string): fc.Arbitrary<string> => fc.tuple(fc.nat(valid.length), fc.constantFrom(...NASTY)).map(([at, bad]) => valid.slice(0, at) + bad + valid.slice(at));
		// Mostly empty or right, as people fill these in; sometimes with something pasted into them.
		const contact = (valid: string) =>
			fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: withNasty(valid) }, { weight: 1, arbitrary: typed });
		fc.assert(
			fc.property(
				fc.record({
					name: fc.oneof(fc.constant('Spreekuur'), typed),
					description: typed,
					forWhom: typed,
					howToApply: typed,
					fees: typed,
					phoneNote: typed,
					accessibility: typed,
					themes: fc.array(typed, { maxLength: 3 }),
					email: contact('info@welzijn-linden.nl'),
					website: contact('https://welzijn-linden.nl/spreekuur'),
					phone: contact('020 123 4567')
				}),
				(text) => {
					const device = new LocalDoc<MapDoc>(newMapDoc());
					const organization = createOrganization(device as never, { ...blankOrganization(), name: 'Welzijn' }, ACTOR);
					const checked = checkService({ ...blankService(organization), free: false, ...text });
					if (!checked.ok) return;
					accepted += 1;
					createService(device as never, checked.value, ACTOR);
					const read = readMap([device.doc]);
					expect(read.skipped).toBe(0);
					expect(read.services[0]).toMatchObject({ name: checked.value.name, email: checked.value.email, website: checked.value.website, fees: checked.value.fees });
					expect(read.services[0].phones.map((p) => p.number)).toEqual(checked.value.phone ? [checked.value.phone] : []);
				}
			),
			runs
		);
	});

	it("the neighbourhood's details", () => {
		const { root } = createNeighbourhood(new Repo(), emptyDetails('Lindenbuurt'), { relays: [] });
		fc.assert(
			fc.property(fc.record({ name: typed, description: typed, area: typed, contactName: typed, contactHours: typed }), (text) => {
				const checked = checkDetails({ ...emptyDetails(), ...text });
				if (!checked.ok) return;
				accepted += 1;
				updateDetails(root, checked.value);
				const read = readNeighbourhood(root.doc());
				expect(read.ok && read.neighbourhood).toMatchObject({
					name: checked.value.name,
					description: checked.value.description,
					area: { description: checked.value.area },
					contact: { name: checked.value.contactName, hours: checked.value.contactHours }
				});
			}),
			runs
		);
	});
});
