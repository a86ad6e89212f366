// A help request may also be a job for a service on the social map: "voor vervoer naar het
// ziekenhuis kunt u ook bellen met …". Help categories point to map themes; words in the request
// that appear in a service's name or description count too.
import { fold } from '../text/fold.ts';
import type { MapRead, Service } from './view.ts';

const THEMES_FOR_CATEGORY: Record<string, string[]> = {
	vervoer: ['vervoer'],
	gezelschap: ['ontmoeting'],
	computerhulp: ['digitale-hulp'],
	administratie: ['geldzaken'],
	klussen: ['wonen'],
	boodschappen: ['welzijn']
};

const STOP = new Set(['voor', 'naar', 'met', 'een', 'het', 'de', 'van', 'bij', 'op', 'in', 'en', 'wie', 'kan', 'mij', 'mijn', 'graag', 'hulp', 'help']);

export function suggestServices(map: MapRead, request: { category: string; title: string; description: string }, limit = 2): Service[] {
	const themes = THEMES_FOR_CATEGORY[request.category] ?? [];
	const words = fold(`${request.title} ${request.description}`)
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w.length > 3 && !STOP.has(w));
	const scored = map.services
		.filter((s) => !s.removed)
		.map((service) => {
			const text = fold(`${service.name} ${service.description}`);
			const score = (service.themes.some((t) => themes.includes(t)) ? 2 : 0) + words.filter((w) => text.includes(w)).length;
			return { service, score };
		})
		.filter((s) => s.score >= 2);
	return scored.sort((a, b) => b.score - a.score || a.service.name.localeCompare(b.service.name, 'nl')).slice(0, limit).map((s) => s.service);
}
