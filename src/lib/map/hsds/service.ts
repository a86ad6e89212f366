// A service both ways: the map's as an HSDS service (with its phones, hours, languages, themes and
// costs inside), and an HSDS service planned as an addition to the map or a change of one on it.
import { WEEKDAYS, type WeekdayCode } from '../../agenda/weekdays.ts';
import { isRecord } from '../../automerge/fields.ts';
import { blankService, checkService, type ServiceInput } from '../mutations.ts';
import type { Service } from '../view.ts';
import { listOf, numberOf, textOf, type Obj } from './fields.ts';
import { amsterdamDay, optional, webAddress } from './formats.ts';
import { partId, toUuid, type IdResolver } from './ids.ts';
import { isLanguage, languageName, languageOf } from './language.ts';
import { cleanEmail, cleanPhone, cleanWebsite, clipper, LIMITS, reasonOf, type ImportPlan, type ImportRef, type Planned } from './plan.ts';
import type { Raw } from './records.ts';
import { exportSchedules, readSchedule } from './schedule.ts';
import type { HsdsAttribute, HsdsService, HsdsTaxonomyTerm } from './types.ts';

/** Themes are taxonomy terms of this vocabulary; other maps see the Dutch words as codes. */
export const THEME_TAXONOMY = 'noaber-themes';
/** HSDS has accessibility only for locations; a service's own note travels as an attribute value. */
const NOTE_TAXONOMY = 'noaber';
const ACCESSIBILITY = 'accessibility';

/** `organizationGone`: its organisation was taken off the map, so other maps should drop it too. */
export function exportService(s: Service, organizationGone: boolean): HsdsService {
	const id = toUuid(s.id);
	const term = (code: string, name: string, taxonomy: string): HsdsTaxonomyTerm => ({
		id: partId('taxonomy_term', taxonomy, code),
		code,
		name,
		description: name,
		taxonomy
	});
	const attribute = (t: HsdsTaxonomyTerm, value?: string): HsdsAttribute => ({
		id: partId(s.id, 'attribute', t.taxonomy, t.code),
		link_id: id,
		link_entity: 'service',
		taxonomy_term_id: t.id,
		taxonomy_term: t,
		...(value !== undefined ? { value } : {})
	});
	const attributes = [...s.themes].sort().map((theme) => attribute(term(theme, theme, THEME_TAXONOMY)));
	if (s.accessibility) attributes.push(attribute(term(ACCESSIBILITY, 'Toegankelijkheid', NOTE_TAXONOMY), s.accessibility));
	return {
		id,
		organization_id: toUuid(s.organization),
		name: s.name,
		description: s.description,
		eligibility_description: s.forWhom,
		application_process: s.howToApply,
		fees_description: s.free ? '' : s.fees,
		...optional('url', webAddress(s.website)),
		...optional('email', s.email),
		status: s.removed || organizationGone ? 'inactive' : 'active',
		assured_date: amsterdamDay(s.reviewed.at),
		last_modified: s.updated.at,
		phones: [...s.phones]
			.sort((a, b) => a.number.localeCompare(b.number))
			.map((p) => ({ id: partId(s.id, 'phone', p.number), number: p.number, ...optional('description', p.description) })),
		schedules: exportSchedules(s, id),
		languages: [...s.languages].sort().map((code) => ({ id: partId(s.id, 'language', code), service_id: id, name: languageName(code), code })),
		attributes,
		cost_options: s.free ? [{ id: partId(s.id, 'cost_option', 'free'), service_id: id, option: 'Gratis', amount: 0, currency: 'EUR' }] : []
	};
}

const isWeekday = (code: string): code is WeekdayCode => (WEEKDAYS as readonly string[]).includes(code);

export const serviceForm = (s: Service): ServiceInput => ({
	name: s.name,
	organization: s.organization,
	description: s.description,
	forWhom: s.forWhom,
	howToApply: s.howToApply,
	themes: s.themes,
	free: s.free,
	fees: s.free ? '' : s.fees,
	languages: s.languages.filter(isLanguage),
	email: s.email,
	website: s.website,
	phone: s.phones[0]?.number ?? '',
	phoneNote: s.phones[0]?.description ?? '',
	schedules: s.schedules.map((x) => ({ freq: x.freq, days: x.byday.filter(isWeekday), nth: x.nth, opensAt: x.opensAt, closesAt: x.closesAt, note: x.note })),
	accessibility: s.accessibility,
	locations: s.locationIds
});

const sorted = (values: readonly string[]) => [...values].sort();

function serviceKey(s: ServiceInput): string {
	const schedules = s.schedules.map((x) => [x.freq, x.days.join(','), x.freq === 'MONTHLY' ? (x.nth ?? '') : '', x.opensAt, x.closesAt, x.note].join('|'));
	return JSON.stringify([
		s.name,
		s.organization,
		s.description,
		s.forWhom,
		s.howToApply,
		sorted(s.themes),
		s.free,
		s.free ? '' : s.fees,
		sorted(s.languages),
		s.email,
		s.website,
		s.phone,
		s.phone ? s.phoneNote : '',
		sorted(schedules),
		s.accessibility,
		sorted(s.locations)
	]);
}

export function serviceAction(input: ServiceInput, removed: boolean | undefined, current: Service | undefined): Planned<ServiceInput>['action'] {
	if (!current) return 'add';
	const same = serviceKey(input) === serviceKey(serviceForm(current)) && (removed === undefined || removed === (current.removed !== null));
	return same ? 'unchanged' : 'update';
}

const INACTIVE = ['inactive', 'defunct', 'temporarily closed'];

function feesOf(o: Obj): { free: boolean; fees: string } {
	const text = textOf(o.fees_description) || textOf(o.fees);
	const costs = listOf(o.cost_options);
	const amounts = costs.map((c) => numberOf(c.amount)).filter((n): n is number => n !== undefined && !Number.isNaN(n));
	if (/^(gratis|free|kosteloos|geen kosten)\.?$/i.test(text)) return { free: true, fees: '' };
	if (!text && amounts.length > 0 && amounts.every((a) => a === 0)) return { free: true, fees: '' };
	if (text) return { free: false, fees: text };
	const described = costs
		.filter((c) => numberOf(c.amount) !== undefined)
		.map((c) => [textOf(c.option), `${textOf(c.amount)} ${textOf(c.currency).toUpperCase()}`.trim(), textOf(c.amount_description)].filter(Boolean).join(' '))
		.join('; ');
	return { free: false, fees: described };
}

/** A service_at_location of the file: where a service is offered, and where in the file it says so. */
export interface ServiceLink {
	location: string;
	path: string;
}

/** What a service refers to outside itself, as the rest of the file and the map resolve it. */
export interface ServiceRefs {
	resolve: IdResolver;
	/** Whether the organisation with this map id is on the map or planned, and not refused by this import. */
	organization: (id: string) => boolean;
	/** Whether the location with this map id is on the map or planned. */
	location: (id: string) => boolean;
	/** A theme in the map's spelling (see `themeMatcher`). */
	theme: (name: string) => string;
	/** The file's links, by the map id of their service. */
	links: ReadonlyMap<string, readonly ServiceLink[]>;
	/** The file lists where services are offered, so a service without links is offered nowhere. */
	linkTable: boolean;
}

/**
 * Plans one HSDS service as the map's service `id` (`existing` when it is on the map): into
 * `plan.services`, or refused with a reason.
 */
export function planService({ record: o, path, parent }: Raw, id: string, existing: Service | undefined, plan: ImportPlan, refs: ServiceRefs): void {
	const input: ServiceInput = existing ? serviceForm(existing) : { ...blankService(), free: false, languages: [] };
	const ref: ImportRef = { kind: 'service', name: 'name' in o ? textOf(o.name) : input.name, path };
	const clip = clipper(ref, plan.notes);

	const organizationRef = o.organization_id ?? (isRecord(o.organization) ? o.organization.id : undefined) ?? parent;
	if (textOf(organizationRef)) input.organization = refs.resolve(organizationRef, '');
	const organization = input.organization;
	if (!organization || !refs.organization(organization)) {
		plan.refused.push({ ...ref, reason: 'no_organization', field: 'organization' });
		return;
	}

	if ('name' in o) input.name = clip('name', textOf(o.name), LIMITS.name);
	if ('description' in o) input.description = clip('description', textOf(o.description), LIMITS.serviceDescription);
	if ('eligibility_description' in o) input.forWhom = clip('forWhom', textOf(o.eligibility_description), LIMITS.forWhom);
	if ('application_process' in o) input.howToApply = clip('howToApply', textOf(o.application_process), LIMITS.howToApply);
	if ('fees_description' in o || 'fees' in o || 'cost_options' in o) {
		const fees = feesOf(o);
		input.free = fees.free;
		input.fees = clip('fees', fees.fees, LIMITS.fees);
	}
	if ('email' in o) input.email = cleanEmail(textOf(o.email));
	if ('url' in o) input.website = cleanWebsite(textOf(o.url));

	if ('phones' in o) {
		const phones = listOf(o.phones);
		input.phone = cleanPhone(textOf(phones[0]?.number));
		input.phoneNote = clip('phoneNote', textOf(phones[0]?.description), LIMITS.phoneNote);
		if (phones.length > 1) plan.notes.push({ ...ref, note: 'phone_dropped', detail: phones.slice(1).map((p) => textOf(p.number)).join(', ') });
	}

	if ('schedules' in o) {
		const schedules: ServiceInput['schedules'] = [];
		let bad = -1;
		listOf(o.schedules).forEach((s, i) => {
			const read = readSchedule(s, clip('schedule note', textOf(s.notes) || textOf(s.description), LIMITS.scheduleNote));
			if (read.ok) schedules.push(...read.schedules);
			else if (read.dropped !== undefined) plan.notes.push({ ...ref, note: 'schedule_dropped', detail: read.dropped });
			else if (bad < 0) bad = i;
		});
		if (bad >= 0) {
			plan.refused.push({ ...ref, reason: 'bad_schedule', field: `schedules.${bad}` });
			return;
		}
		input.schedules = schedules;
	}

	if ('languages' in o) {
		const languages: ServiceInput['languages'] = [];
		const unknown: string[] = [];
		for (const l of listOf(o.languages)) {
			const code = languageOf(textOf(l.code));
			if (code && !languages.includes(code)) languages.push(code);
			else if (!code) unknown.push(textOf(l.name) || textOf(l.code));
		}
		if (unknown.length) plan.notes.push({ ...ref, note: 'language_dropped', detail: unknown.join(', ') });
		input.languages = languages;
	}

	if ('attributes' in o) {
		const themes: string[] = [];
		let accessibility = '';
		const other: string[] = [];
		for (const a of listOf(o.attributes)) {
			const term = isRecord(a.taxonomy_term) ? a.taxonomy_term : {};
			const taxonomy = textOf(term.taxonomy);
			const code = textOf(term.code) || textOf(term.name);
			if (taxonomy === THEME_TAXONOMY && code) themes.push(refs.theme(code));
			else if (taxonomy === NOTE_TAXONOMY && code === ACCESSIBILITY) accessibility = textOf(a.value);
			else other.push(textOf(term.name) || textOf(term.code) || textOf(a.value) || textOf(a.id));
		}
		if (other.length) plan.notes.push({ ...ref, note: 'attribute_dropped', detail: other.join(', ') });
		input.themes = [...new Set(themes)];
		input.accessibility = clip('accessibility', accessibility, LIMITS.accessibility);
	}

	const links = refs.links.get(id);
	if (refs.linkTable || 'service_at_locations' in o || links) {
		const locations: string[] = [];
		for (const link of links ?? []) {
			if (refs.location(link.location)) {
				if (!locations.includes(link.location)) locations.push(link.location);
			} else plan.notes.push({ ...ref, note: 'link_dropped', detail: link.path });
		}
		input.locations = locations;
	}

	const checked = checkService(input);
	if (!checked.ok) {
		plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
		return;
	}
	const status = textOf(o.status).toLowerCase();
	const removed = status ? INACTIVE.includes(status) : undefined;
	// Noon UTC is the same date in the Netherlands, where the date is shown.
	const assured = `${textOf(o.assured_date).slice(0, 10)}T12:00:00.000Z`;
	const reviewedAt = /^\d{4}-\d{2}-\d{2}T/.test(assured) && !Number.isNaN(Date.parse(assured)) ? assured : undefined;
	plan.services.push({
		...ref,
		id,
		action: serviceAction(checked.value, removed, existing),
		input: checked.value,
		...(removed !== undefined ? { removed } : {}),
		...(reviewedAt ? { reviewedAt } : {})
	});
}
