// The service form filled in from a stored service, for editing.
import type { WeekdayCode } from '../agenda/weekdays.ts';
import { blankService } from './mutations.ts';
import type { ServiceInput } from './schema.ts';
import type { Service } from './view.ts';

export function serviceInput(service: Service): ServiceInput {
	return {
		...blankService(service.organization),
		name: service.name,
		description: service.description,
		forWhom: service.forWhom,
		howToApply: service.howToApply,
		themes: [...service.themes],
		free: service.free,
		fees: service.fees,
		languages: service.languages as ServiceInput['languages'],
		email: service.email,
		website: service.website,
		phone: service.phones[0]?.number ?? '',
		phoneNote: service.phones[0]?.description ?? '',
		schedules: service.schedules.map((s) => ({
			freq: s.freq,
			days: s.byday as WeekdayCode[],
			...(s.nth !== undefined ? { nth: s.nth } : {}),
			opensAt: s.opensAt,
			closesAt: s.closesAt,
			note: s.note
		})),
		accessibility: service.accessibility,
		locations: [...service.locationIds]
	};
}
