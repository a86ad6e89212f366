// A report as news for the managers: one NewsItem for pushes, "Nieuw voor u" and the e-mail
// digest. It carries what was reported (a post or an activity), never the reason or the reporter:
// both may be read on a lock screen or in a shared mailbox, and the list page shows them.
import type { NewsItem } from '../news/item.ts';
import type { Report } from '../notify/api.ts';

/** The managers' page where reports are dealt with. */
export const REPORTS_PATH = '/leden/meldingen';

/**
 * `forMember`: the manager it is shown to. Left empty for the one call made when a report arrives:
 * it is for every manager of the neighbourhood, and whoever delivers it fans it out.
 */
export function reportNews(report: Pick<Report, 'id' | 'target' | 'at'>, forMember = ''): NewsItem {
	const { target } = report;
	const module = target.kind === 'event' ? 'agenda' : 'help';
	const subjectId = target.kind === 'response' ? (target.post ?? target.id) : target.id;
	return {
		id: `report:${report.id}`,
		kind: 'report',
		for: forMember,
		at: report.at,
		subject: { module, id: subjectId },
		path: REPORTS_PATH,
		group: `report:${module}:${subjectId}`
	};
}
