// A service on the map's list in words: what the list draws, from the map or as this device last
// showed it (device/remembered-map.ts).
import type { ServiceCard } from '$lib/device/remembered-map.ts';
import type { Service } from '$lib/map/view.ts';
import { t } from '$lib/i18n/language.svelte.ts';
import { hoursText } from './map-text.ts';

export type { ServiceCard };

/** `group`: the topic it is listed under, as the list heads it. */
export function serviceCard(service: Service, group: string): ServiceCard {
	return {
		id: service.id,
		name: service.name,
		description: service.description,
		hours: service.schedules.length ? hoursText(service.schedules) : '',
		free: service.free ? t('map.free') : '',
		group
	};
}
