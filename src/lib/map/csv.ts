// A spreadsheet of services (one row each, Dutch or English column names), as neighbourhoods
// keep them before they have a social map. It becomes the same import plan as an HSDS file, so the
// manager sees the same report and the map is changed by the same mutations.
//
// Opening hours in the simple forms people type ("ma-vr 9:00-12:00; za 10-12", "elke 2e dinsdag
// 13.00-16.00") become schedules; hours in any other form are kept as text at the end of the
// description (with a note), because a misread time would send someone to a closed door.
import Papa from 'papaparse';
import { WEEKDAYS, type WeekdayCode } from '../agenda/weekdays.ts';
import { randomId } from '../automerge/fields.ts';
import { LANGUAGES } from './document.ts';
import { languageOf } from './hsds/language.ts';
import { postcodeOf } from './hsds/location.ts';
import {
	LIMITS,
	MAX_IMPORT_RECORDS,
	cleanEmail,
	cleanPhone,
	cleanWebsite,
	clipper,
	emptyPlan,
	reasonOf,
	themeMatcher,
	type ImportPlan,
	type ImportRef
} from './hsds/plan.ts';
import { serviceAction, serviceForm } from './hsds/service.ts';
import { blankService, checkLocation, checkOrganization, checkService, type ServiceInput } from './mutations.ts';
import { fold } from '../text/fold.ts';
import type { MapRead } from './view.ts';

type Column =
	| 'name'
	| 'organization'
	| 'description'
	| 'forWhom'
	| 'howToApply'
	| 'themes'
	| 'phone'
	| 'email'
	| 'website'
	| 'location'
	| 'street'
	| 'postcode'
	| 'city'
	| 'cost'
	| 'languages'
	| 'hours'
	| 'accessibility';

const HEADERS: Record<Column, string[]> = {
	name: ['naam', 'name', 'dienst', 'service', 'naam dienst', 'activiteit'],
	organization: ['organisatie', 'organization', 'organisation', 'aanbieder', 'provider'],
	description: ['omschrijving', 'beschrijving', 'description', 'wat'],
	forWhom: ['voor wie', 'doelgroep', 'eligibility', 'for whom', 'who'],
	howToApply: ['aanmelden', 'hoe aanmelden', 'aanmelding', 'how to apply', 'application', 'apply'],
	themes: ['thema', 'themas', 'theme', 'themes', 'categorie', 'category'],
	phone: ['telefoon', 'telefoonnummer', 'tel', 'phone', 'telephone'],
	email: ['email', 'mail', 'emailadres', 'email address'],
	website: ['website', 'url', 'site', 'internet', 'webadres'],
	location: ['locatie', 'location', 'plek', 'place', 'gebouw'],
	street: ['adres', 'straat', 'street', 'address', 'straat en huisnummer'],
	postcode: ['postcode', 'postal code', 'zip', 'zip code'],
	city: ['plaats', 'woonplaats', 'city', 'town', 'gemeente'],
	cost: ['kosten', 'cost', 'costs', 'prijs', 'price', 'fees'],
	languages: ['talen', 'taal', 'languages', 'language'],
	hours: ['openingstijden', 'tijden', 'wanneer', 'hours', 'opening hours', 'when'],
	accessibility: ['toegankelijkheid', 'toegankelijk', 'accessibility']
};

/** Header text as compared: no accents, case, punctuation or double spaces ("E-mail" is "email"). */
const headerKey = (s: string) =>
	fold(s)
		.replace(/['’-]/g, '')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();

const COLUMNS = new Map<string, Column>(
	(Object.entries(HEADERS) as [Column, string[]][]).flatMap(([column, names]) => names.map((n) => [headerKey(n), column] as const))
);

/** "Same name" for organisations, locations and services. */
const nameKey = (s: string) => fold(s).replace(/\s+/g, ' ').trim();

const list = (cell: string) =>
	cell
		.split(/[,;/\n]|\s+en\s+|\s+and\s+/i)
		.map((s) => s.trim())
		.filter(Boolean);

const LANGUAGE_NAMES = (() => {
	const names = new Map<string, ServiceInput['languages'][number]>();
	for (const locale of ['nl', 'en']) {
		try {
			const display = new Intl.DisplayNames([locale], { type: 'language' });
			for (const code of LANGUAGES) names.set(nameKey(display.of(code) ?? code), code);
		} catch {
			// Without Intl names only codes are understood.
		}
	}
	return names;
})();

const languageFrom = (word: string) => languageOf(word) ?? LANGUAGE_NAMES.get(nameKey(word));

const FREE = /^(gratis|free|kosteloos|geen( kosten)?|none|0|€\s*0([.,]0+)?|0([.,]0+)?\s*(euro|eur))\.?$/i;

// --- Opening hours -------------------------------------------------------------------------------

const DAYS: Record<string, WeekdayCode> = {};
for (const [code, words] of [
	['MO', 'ma maandag mo mon monday'],
	['TU', 'di dinsdag tu tue tues tuesday'],
	['WE', 'wo woensdag we wed wednesday'],
	['TH', 'do donderdag th thu thur thurs thursday'],
	['FR', 'vr vrij vrijdag fr fri friday'],
	['SA', 'za zat zaterdag sa sat saturday'],
	['SU', 'zo zon zondag su sun sunday']
] as const) {
	for (const word of words.split(' ')) DAYS[word] = code;
}

const NTH: Record<string, 1 | 2 | 3 | 4 | -1> = {
	'1e': 1, eerste: 1, '1st': 1, first: 1,
	'2e': 2, tweede: 2, '2nd': 2, second: 2,
	'3e': 3, derde: 3, '3rd': 3, third: 3,
	'4e': 4, vierde: 4, '4th': 4, fourth: 4,
	laatste: -1, last: -1
};

const TIME = '(\\d{1,2})(?:[:.](\\d{2}))?';
const RANGE = new RegExp(`${TIME}\\s*-\\s*${TIME}(?:\\s*(?:uur|u|h))?`, 'g');

function clock(hours: string, minutes: string | undefined): string {
	return `${hours.padStart(2, '0')}:${minutes ?? '00'}`;
}

function daysOf(text: string): WeekdayCode[] | undefined {
	const days: WeekdayCode[] = [];
	for (const token of text.replace(/\s*(?:-|t\/m|\btot en met\b|\bto\b|\bthrough\b)\s*/g, '-').split(/[\s,/&+]+|\ben\b|\band\b/)) {
		if (!token) continue;
		const [from, to, ...rest] = token.split('-');
		const a = DAYS[from.replace(/\.$/, '')];
		const b = to === undefined ? a : DAYS[to.replace(/\.$/, '')];
		if (!a || !b || rest.length) return undefined;
		const start = WEEKDAYS.indexOf(a);
		const end = WEEKDAYS.indexOf(b);
		for (let i = start; ; i = (i + 1) % 7) {
			if (!days.includes(WEEKDAYS[i])) days.push(WEEKDAYS[i]);
			if (i === end) break;
		}
	}
	return days.length ? days : undefined;
}

/**
 * "ma-vr 9:00-12:00; za 10-12", "ma, wo 9.00-12.00 en 13.00-16.00", "elke 2e dinsdag 13:00-16:00".
 * Undefined when the text says something else.
 */
export function parseHours(text: string): ServiceInput['schedules'] | undefined {
	const schedules: ServiceInput['schedules'] = [];
	const cleaned = text.toLowerCase().replace(/[–—]/g, '-').replace(/\s+tot\s+(?=\d)/g, '-');
	const parts = cleaned.split(/[;\n]+|(?<=\d)\s*,\s*(?=[a-z])/).map((p) => p.trim()).filter(Boolean);
	if (!parts.length) return undefined;
	for (const part of parts) {
		const m = /^(?:(?:elke|iedere|every)\s+)?(?:(\S+)\s+)?([a-z][a-z.\s,/&+-]*?)\s*:?\s*(\d.*)$/.exec(part);
		if (!m) return undefined;
		const nth = m[1] ? NTH[m[1]] : undefined;
		const dayText = m[1] && nth === undefined ? `${m[1]} ${m[2]}` : m[2];
		const days = daysOf(dayText.trim());
		if (!days) return undefined;
		const times = [...m[3].matchAll(RANGE)];
		const rest = m[3].replace(RANGE, '').replace(/[\s,&+]|\ben\b|\band\b/g, '');
		if (!times.length || rest) return undefined;
		for (const t of times) {
			const opensAt = clock(t[1], t[2]);
			const closesAt = clock(t[3], t[4]);
			if (nth === undefined) schedules.push({ freq: 'WEEKLY', days, opensAt, closesAt, note: '' });
			else for (const day of days) schedules.push({ freq: 'MONTHLY', days: [day], nth, opensAt, closesAt, note: '' });
		}
	}
	return schedules;
}

// --- The plan ------------------------------------------------------------------------------------

/**
 * What importing this spreadsheet would do. Organisations and locations are matched by name
 * (ignoring case and accents) to what is on the map or earlier rows, or created once; a service
 * with the same name at the same organisation is updated, only in the cells the row fills in.
 * A row never removes a service from a place: it can add one. Rows are numbered as in the
 * spreadsheet (the header is row 1). Never throws.
 */
export function planCsvImport(text: string, current: MapRead): ImportPlan {
	const plan = emptyPlan();
	try {
		planRows(plan, text, current);
	} catch {
		// Any text can arrive here; an unforeseen failure refuses the file instead of half a plan.
		return { ...emptyPlan(), refused: [{ kind: 'file', name: '', row: 1, reason: 'invalid' }] };
	}
	return plan;
}

function planRows(plan: ImportPlan, text: string, current: MapRead): void {
	const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false });
	const rows = parsed.data;
	const header = rows[0] ?? [];
	const columns = new Map<Column, number>();
	header.forEach((cell, i) => {
		const name = cell.trim();
		if (!name) return;
		const column = COLUMNS.get(headerKey(name));
		if (column && !columns.has(column)) columns.set(column, i);
		else plan.notes.push({ kind: 'file', name, row: 1, note: 'column_ignored', detail: name });
	});
	if (!columns.has('name')) {
		plan.refused.push({ kind: 'file', name: '', row: 1, reason: 'no_name', field: 'name' });
		return;
	}
	if (!columns.has('organization')) {
		plan.refused.push({ kind: 'file', name: '', row: 1, reason: 'no_organization', field: 'organization' });
		return;
	}
	const filled = rows.slice(1).filter((r) => r.some((cell) => cell.trim()));
	if (filled.length > MAX_IMPORT_RECORDS) {
		plan.refused.push({ kind: 'file', name: '', reason: 'too_many' });
		return;
	}
	const broken = new Set(parsed.errors.map((e) => e.row).filter((r): r is number => typeof r === 'number'));

	const organizations = new Map(current.organizations.filter((o) => !o.removed).map((o) => [nameKey(o.name), o.id]));
	const locations = new Map(current.locations.filter((l) => !l.removed).map((l) => [nameKey(l.name), l.id]));
	const services = new Map(current.services.filter((s) => !s.removed).map((s) => [`${s.organization}|${nameKey(s.name)}`, s]));
	const planned = new Set<string>();
	const theme = themeMatcher(current.themes, plan);

	rows.forEach((cells, index) => {
		if (index === 0 || !cells.some((cell) => cell.trim())) return;
		const row = index + 1;
		const cell = (column: Column) => (cells[columns.get(column) ?? -1] ?? '').trim();
		// An empty cell is taken as "not filled in": it keeps what the map has rather than wiping it.
		const has = (column: Column) => cell(column) !== '';
		const name = cell('name');
		const ref: ImportRef = { kind: 'service', name, row };
		if (broken.has(index)) {
			plan.refused.push({ ...ref, reason: 'invalid' });
			return;
		}
		const clip = clipper(ref, plan.notes);

		const organizationName = clip('organization', cell('organization'), LIMITS.name);
		if (!organizationName) {
			plan.refused.push({ ...ref, reason: 'no_organization', field: 'organization' });
			return;
		}
		let organizationId = organizations.get(nameKey(organizationName));
		let newOrganization: (typeof plan.organizations)[number] | undefined;
		if (!organizationId) {
			const checked = checkOrganization({ name: organizationName, description: '', email: '', website: '', phone: '' });
			if (!checked.ok) {
				plan.refused.push({ ...ref, reason: 'no_organization', field: 'organization' });
				return;
			}
			organizationId = randomId();
			newOrganization = { kind: 'organization', name: organizationName, row, id: organizationId, action: 'add', input: checked.value };
		}

		const key = `${organizationId}|${nameKey(name)}`;
		if (name && planned.has(key)) {
			plan.refused.push({ ...ref, reason: 'duplicate', field: 'name' });
			return;
		}
		const existing = services.get(key);
		const input: ServiceInput = existing ? serviceForm(existing) : { ...blankService(organizationId), free: false, languages: [] };
		input.name = clip('name', name, LIMITS.name);
		input.organization = organizationId;
		if (has('description')) input.description = clip('description', cell('description'), LIMITS.serviceDescription);
		if (has('forWhom')) input.forWhom = clip('forWhom', cell('forWhom'), LIMITS.forWhom);
		if (has('howToApply')) input.howToApply = clip('howToApply', cell('howToApply'), LIMITS.howToApply);
		if (has('themes')) {
			const names = cell('themes').split(/[,;\n]/).map((t) => t.trim()).filter(Boolean);
			input.themes = [...new Set(names.map(theme))];
		}
		if (has('phone')) input.phone = cleanPhone(cell('phone'));
		if (has('email')) input.email = cleanEmail(cell('email'));
		if (has('website')) input.website = cleanWebsite(cell('website'));
		if (has('accessibility')) input.accessibility = clip('accessibility', cell('accessibility'), LIMITS.accessibility);
		if (has('cost')) {
			const cost = cell('cost');
			input.free = FREE.test(cost);
			input.fees = input.free ? '' : clip('fees', cost, LIMITS.fees);
		}
		if (has('languages')) {
			const words = list(cell('languages'));
			const codes = words.map(languageFrom);
			const unknown = words.filter((_, i) => !codes[i]);
			if (unknown.length) plan.notes.push({ ...ref, note: 'language_dropped', detail: unknown.join(', ') });
			input.languages = [...new Set(codes.filter((c) => c !== undefined))];
		}
		if (has('hours')) {
			const hours = cell('hours');
			const schedules = parseHours(hours);
			if (schedules) input.schedules = schedules;
			else {
				const line = `Openingstijden: ${hours}`;
				if (!input.description.includes(line)) input.description = clip('description', `${input.description}\n\n${line}`.trim(), LIMITS.serviceDescription);
				plan.notes.push({ ...ref, note: 'hours_not_read', detail: hours });
			}
		}

		let newLocation: (typeof plan.locations)[number] | undefined;
		const placeName = clip('location', cell('location') || cell('street'), LIMITS.name);
		if (placeName) {
			let locationId = locations.get(nameKey(placeName));
			if (!locationId) {
				const checked = checkLocation({
					name: placeName,
					street: clip('street', cell('street'), LIMITS.street),
					postcode: cell('postcode'),
					city: clip('city', cell('city'), LIMITS.city),
					accessibility: '',
					transport: ''
				});
				if (!checked.ok) {
					plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
					return;
				}
				locationId = randomId();
				const value = { ...checked.value, postcode: checked.value.postcode ? postcodeOf(checked.value.postcode) : '' };
				newLocation = { kind: 'location', name: placeName, row, id: locationId, action: 'add', input: value };
			}
			if (!input.locations.includes(locationId)) input.locations = [...input.locations, locationId];
		}

		const checked = checkService(input);
		if (!checked.ok) {
			plan.refused.push({ ...ref, ...reasonOf(checked.errors) });
			return;
		}
		// Only now do the row's new organisation and location join the plan, so a refused row adds nothing.
		if (newOrganization) {
			plan.organizations.push(newOrganization);
			organizations.set(nameKey(organizationName), organizationId);
		}
		if (newLocation) {
			plan.locations.push(newLocation);
			locations.set(nameKey(placeName), newLocation.id);
		}
		planned.add(key);
		plan.services.push({ ...ref, id: existing?.id ?? randomId(), action: serviceAction(checked.value, undefined, existing), input: checked.value });
	});
	const used = new Set(plan.services.flatMap((s) => s.input.themes));
	plan.themes = plan.themes.filter((t) => used.has(t));
}
