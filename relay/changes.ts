// "Wijzigingen": what one change did, in words a manager understands: which post, event, service,
// profile or setting it touched, and how (made, edited, hidden, responded …). Read from the
// relay's copy of the document with Automerge's diff of that one change, and named through the
// domain modules' own schemas, so the title is the one the app shows. No content beyond a title
// or a name leaves here, and nothing here is logged.
import * as A from '@automerge/automerge/slim';
import * as v from 'valibot';
import type { ChangeAction, ChangeItem, ChangeModule, ChangeTarget } from '../src/lib/access/api.ts';
import { EventCore } from '../src/lib/agenda/schema.ts';
import { PostCore } from '../src/lib/help/schema.ts';
import { LocationView, OrganizationView, ServiceCore } from '../src/lib/map/schema.ts';
import { MemberView } from '../src/lib/members/schema.ts';
import type { Authored } from './authorship.ts';

/** Which module a document belongs to, by its shape (a damaged root may no longer list it). */
export function moduleOf(doc: unknown): ChangeModule {
	if (typeof doc !== 'object' || doc === null) return 'other';
	const has = (key: string) => Object.hasOwn(doc, key);
	if (has('docs') || has('managers') || (has('settings') && has('contact'))) return 'neighbourhood';
	if (has('events')) return 'agenda';
	if (has('services') || has('organizations') || has('locations')) return 'map';
	if (has('posts')) return 'help';
	if (has('members')) return 'members';
	return 'other';
}

/** Map key → what the manager sees it as, per module. */
const ENTITIES: Partial<Record<ChangeModule, Record<string, { target: ChangeTarget; schema: v.GenericSchema; name: 'title' | 'name' }>>> = {
	help: { posts: { target: 'post', schema: PostCore, name: 'title' } },
	agenda: { events: { target: 'event', schema: EventCore, name: 'title' } },
	map: {
		services: { target: 'service', schema: ServiceCore, name: 'name' },
		organizations: { target: 'organization', schema: OrganizationView, name: 'name' },
		locations: { target: 'location', schema: LocationView, name: 'name' }
	},
	members: { members: { target: 'profile', schema: MemberView, name: 'name' } }
};

/** Bookkeeping every edit writes along (the map's change lines, a period's name): not news. */
const BOOKKEEPING = new Set(['changes', 'period', 'year']);

/** Stronger actions name a change that did several things at once. */
const RANK: ChangeAction[] = ['made', 'removed', 'restored', 'hidden', 'shown', 'cancelled', 'responded', 'signedUp', 'edited'];

function actionOf(rest: A.Prop[], patch: A.Patch): ChangeAction {
	if (rest.length === 0) return patch.action === 'del' ? 'removed' : patch.action === 'put' ? 'made' : 'edited';
	const cleared = patch.action === 'put' && patch.value === null && rest.length === 1;
	switch (rest[0]) {
		case 'hidden':
			return cleared ? 'shown' : 'hidden';
		case 'cancelled':
			return cleared ? 'restored' : 'cancelled';
		case 'removed':
			return cleared ? 'restored' : 'removed';
		case 'responses':
			return 'responded';
		case 'signups':
			return 'signedUp';
		default:
			return 'edited';
	}
}

/** The title or name as the module reads it; a broken item still shows what it can. */
function nameOf(item: unknown, schema: v.GenericSchema, field: 'title' | 'name'): string {
	const parsed = v.safeParse(schema, item);
	const raw = parsed.success ? (parsed.output as Record<string, unknown>)[field] : typeof item === 'object' && item ? (item as Record<string, unknown>)[field] : '';
	const text = A.isImmutableString(raw) ? raw.val : raw;
	return typeof text === 'string' ? text.replace(/\p{Cc}/gu, ' ').slice(0, 200) : '';
}

/** What one change did to one document, one line per thing it touched. */
export function describeChange(doc: A.Doc<unknown>, module: ChangeModule, change: Authored): ChangeItem[] {
	let patches: A.Patch[];
	try {
		patches = A.diff(doc, change.deps, [change.hash]);
	} catch {
		return [];
	}
	const base = {
		at: new Date(change.at).toISOString(),
		...(change.member ? { member: change.member } : {}),
		recorded: change.recorded,
		undo: change.undo,
		module
	};
	const entities = ENTITIES[module];
	const found = new Map<string, { target: ChangeTarget; key: string; id: string; action: ChangeAction }>();
	let other: ChangeAction | undefined;
	for (const patch of patches) {
		const [key, id, ...rest] = patch.path;
		const entity = entities && typeof key === 'string' ? entities[key] : undefined;
		if (!entity || typeof id !== 'string') {
			if (typeof key === 'string' && BOOKKEEPING.has(key)) continue;
			if (patch.action !== 'mark' && patch.action !== 'unmark' && patch.action !== 'conflict') other = 'edited';
			continue;
		}
		const action = actionOf(rest, patch);
		const seen = found.get(`${key}/${id}`);
		if (!seen || RANK.indexOf(action) < RANK.indexOf(seen.action)) found.set(`${key}/${id}`, { target: entity.target, key: key as string, id, action });
	}
	const items: ChangeItem[] = [];
	if (found.size > 0) {
		const after = A.view(doc, [change.hash]) as Record<string, Record<string, unknown> | undefined>;
		const before = A.view(doc, change.deps) as Record<string, Record<string, unknown> | undefined>;
		for (const { target, key, id, action } of found.values()) {
			const entity = entities![key]!;
			const item = after[key]?.[id] ?? before[key]?.[id];
			items.push({ ...base, target, title: nameOf(item, entity.schema, entity.name), action });
		}
	}
	// The root is the neighbourhood's settings; the map's themes and centre are the map's settings.
	if (other && (items.length === 0 || module === 'neighbourhood' || module === 'map')) {
		items.push({ ...base, target: module === 'neighbourhood' || module === 'map' ? 'settings' : 'document', title: '', action: other });
	}
	return items;
}
