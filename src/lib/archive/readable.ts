// The readable copies in an export, for people without Noaber: the agenda as iCalendar, the social
// map as HSDS, the help board and the members as CSV and JSON. Made only through the domain modules'
// own views (the same readers the app shows its pages with), never by reading Automerge directly,
// so a copy holds exactly what a member sees and nothing a peer could slip past the schemas. What
// is sealed (contact details with a narrower circle, conversations) stays out; so do help posts a
// moderator hid, and phone numbers, which a file handed around should not spread.
import { toICalendar } from '../agenda/ics.ts';
import { readEvents } from '../agenda/view.ts';
import { readPosts } from '../help/view.ts';
import { toHsds } from '../map/hsds/export.ts';
import { readMap } from '../map/view.ts';
import { readMembers } from '../members/view.ts';
import { readNeighbourhood } from '../neighbourhood/view.ts';
import { firstNames } from '../news/text.ts';
import { csv } from '../text/csv.ts';
import { READABLE } from './format.ts';

/** A loaded document as its automerge URL, for looking up what a root lists. */
export type LoadedDocuments = ReadonlyMap<string, unknown>;

export interface HelpRow {
	kind: string;
	category: string;
	title: string;
	status: string;
	/** The first name as the app shows it; empty when the poster's profile is gone. */
	postedBy: string;
	createdAt: string;
	agreedAt: string;
	doneAt: string;
	withdrawnAt: string;
	period: string;
}

export interface MemberRow {
	name: string;
	/** Only when the member shows it to every member; otherwise it is sealed and stays out. */
	street: string;
	/** manager, agenda-editor, map-editor: as the root records them. */
	roles: string[];
	joinedAt: string;
}

const urlOf = (documentId: string) => `automerge:${documentId}`;

/**
 * The readable files for a neighbourhood whose documents are given by id (loaded Automerge
 * documents). `createdAt` stamps the calendar and the HSDS file, so the same documents always give
 * the same bytes.
 */
export function readableCopies(rootId: string, documents: ReadonlyMap<string, unknown>, createdAt: string): Map<string, string> {
	const byUrl = new Map<string, unknown>();
	for (const [id, doc] of documents) byUrl.set(urlOf(id), doc);
	const files = new Map<string, string>();
	const read = readNeighbourhood(byUrl.get(urlOf(rootId)));
	if (!read.ok) return files;
	const { neighbourhood } = read;
	const now = new Date(createdAt);
	const loaded = (url: string) => (byUrl.has(url) ? [{ url, doc: byUrl.get(url) }] : []);

	const events = readEvents(neighbourhood.docs.agenda.flatMap(({ url }) => loaded(url))).items;
	files.set(READABLE.agenda, toICalendar(events, { name: neighbourhood.name, now }));

	const map = readMap(neighbourhood.docs.map.flatMap(({ url }) => loaded(url).map((s) => s.doc)));
	files.set(READABLE.map, `${JSON.stringify(toHsds(map, { now }), null, 2)}\n`);

	const membersDoc = byUrl.get(neighbourhood.docs.members);
	// Posters who left are still named on their posts, as in the app.
	// The first word of the name, as "Nieuw voor u" names people.
	const firstName = firstNames(readMembers(membersDoc, { includeLeft: true }).items);
	const posts = readPosts([...neighbourhood.docs.help, ...neighbourhood.docs.helpArchive].flatMap(({ url }) => loaded(url))).items;
	const help: HelpRow[] = posts
		.filter((post) => !post.hidden)
		.map((post) => ({
			kind: post.kind,
			category: post.category,
			title: post.title,
			status: post.status,
			postedBy: firstName(post.author) ?? '',
			createdAt: post.createdAt,
			agreedAt: post.agreedAt ?? '',
			doneAt: post.doneAt ?? '',
			withdrawnAt: post.withdrawnAt ?? '',
			period: post.period
		}));
	const helpColumns = ['kind', 'category', 'title', 'status', 'postedBy', 'createdAt', 'agreedAt', 'doneAt', 'withdrawnAt', 'period'];
	files.set(READABLE.helpCsv, csv(help as unknown as Record<string, string>[], helpColumns));
	files.set(READABLE.helpJson, `${JSON.stringify(help, null, 2)}\n`);

	const managers = new Set(neighbourhood.managers);
	const members: MemberRow[] = readMembers(membersDoc).items.map((member) => ({
		name: member.name,
		street: member.areaVisibility === 'members' ? member.area : '',
		roles: [
			...(managers.has(member.id) ? ['manager'] : []),
			...neighbourhood.editors.filter((e) => e.memberId === member.id).map((e) => `${e.module}-editor`)
		],
		joinedAt: member.joinedAt
	}));
	files.set(
		READABLE.membersCsv,
		csv(
			members.map((m) => ({ name: m.name, street: m.street, roles: m.roles.join(' '), joinedAt: m.joinedAt })),
			['name', 'street', 'roles', 'joinedAt']
		)
	);
	files.set(READABLE.membersJson, `${JSON.stringify(members, null, 2)}\n`);
	return files;
}
