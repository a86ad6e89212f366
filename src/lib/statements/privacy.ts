// The privacy statement (privacyverklaring) as the AVG asks for it: who is responsible, what is
// kept where, who sees what, for how long, how to use one's rights, the relay operator's role and
// where to complain. It is filled from the neighbourhood's details as its managers entered them;
// before joining it says the general parts and that the neighbourhood's own details follow.
import { say as s, type NeighbourhoodDetails, type Section } from './statement.ts';

/** People who left are erased after this many months unless a manager sets another period. */
export const DEFAULT_ERASE_AFTER_MONTHS = 12;

export const REGULATOR_URL = 'https://www.autoriteitpersoonsgegevens.nl';

export interface PrivacyInput {
	/** The neighbourhood this device belongs to; absent before joining. */
	neighbourhood?: NeighbourhoodDetails;
	/** The period the manager set for erasing people who left, when the neighbourhood has one. */
	eraseAfterMonths?: number;
}

/** A period a manager could set: whole months, at least one. Anything else reads as the default. */
export function erasePeriod(months: number | undefined): number {
	return months !== undefined && Number.isSafeInteger(months) && months >= 1 ? months : DEFAULT_ERASE_AFTER_MONTHS;
}

export function privacyStatement(input: PrivacyInput): Section[] {
	const n = input.neighbourhood?.name.trim() ? input.neighbourhood : undefined;
	const contact = n?.contact.name.trim();
	const months = erasePeriod(input.eraseAfterMonths);
	// Whom a resident turns to with a question or a request: the contact the managers named.
	const askWhom = n ? (contact ? s('privacy.ask.contact', { contact, name: n.name }) : s('privacy.ask.managers', { name: n.name })) : s('privacy.ask.later');

	return [
		{
			id: 'verantwoordelijk',
			heading: 'privacy.controller.title',
			paragraphs: n
				? [
						s('privacy.controller.named', { name: n.name }),
						s('privacy.controller.law'),
						s('privacy.controller.managers'),
						askWhom,
						...(n.contact.phone && n.contact.hours ? [s('privacy.controller.hours', { hours: n.contact.hours })] : [])
					]
				: [s('privacy.controller.general'), s('privacy.controller.law'), s('privacy.controller.later')],
			phone: n?.contact.phone || undefined
		},
		{
			id: 'gegevens',
			heading: 'privacy.what.title',
			paragraphs: [s('privacy.what.lead')],
			items: [s('privacy.what.profile'), s('privacy.what.posts'), s('privacy.what.replies'), s('privacy.what.managed'), s('privacy.what.device')]
		},
		{
			id: 'waar',
			heading: 'privacy.where.title',
			paragraphs: [
				s('privacy.where.devices'),
				n ? s('privacy.where.relay', { name: n.name }) : s('privacy.where.relayGeneral'),
				s('privacy.where.noVendor'),
				s('privacy.where.map'),
				s('privacy.where.notify')
			]
		},
		{
			id: 'wie-ziet-wat',
			heading: 'privacy.who.title',
			paragraphs: [s('privacy.who.lead')],
			items: [
				s('privacy.who.everyone'),
				s('privacy.who.contact'),
				s('privacy.who.messages'),
				s('privacy.who.consent'),
				s('privacy.who.public'),
				s('privacy.who.nobody')
			]
		},
		{
			id: 'bewaren',
			heading: 'privacy.keep.title',
			paragraphs: [
				s('privacy.keep.member'),
				months === 1 ? s('privacy.keep.leftOne') : s('privacy.keep.left', { months }),
				input.eraseAfterMonths === undefined ? s('privacy.keep.default') : s('privacy.keep.chosen'),
				s('privacy.keep.sooner')
			]
		},
		{
			id: 'rechten',
			heading: 'privacy.rights.title',
			paragraphs: [s('privacy.rights.lead')],
			items: [s('privacy.rights.see'), s('privacy.rights.correct'), s('privacy.rights.erase'), s('privacy.rights.withdraw'), s('privacy.rights.object')]
		},
		{
			id: 'help-met-rechten',
			heading: 'privacy.help.title',
			paragraphs: [askWhom, s('privacy.help.month')],
			phone: n?.contact.phone || undefined
		},
		{
			id: 'server',
			heading: 'privacy.processor.title',
			paragraphs: [
				n ? s('privacy.processor.who', { name: n.name }) : s('privacy.processor.whoGeneral'),
				s('privacy.processor.law'),
				s('privacy.processor.only'),
				s('privacy.processor.canRead'),
				s('privacy.processor.cannotRead')
			]
		},
		{
			id: 'klacht',
			heading: 'privacy.complaint.title',
			paragraphs: [n ? s('privacy.complaint.first', { name: n.name }) : s('privacy.complaint.firstGeneral'), s('privacy.complaint.regulator')],
			link: { href: REGULATOR_URL, text: s('privacy.complaint.link') }
		}
	];
}
