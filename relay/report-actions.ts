// The report actions of /api/notify (src/lib/notify/api.ts): a member reports a post, a response
// or an activity; managers read the reports and mark them dealt with. The holder comes from the
// relay's access book, so roles are the relay's, never a device's claim.
import type { NewsItem } from '../src/lib/news/item.ts';
import type { NotifyRequest } from '../src/lib/notify/api.ts';
import { reportNews } from '../src/lib/report/news.ts';
import { mayReadReports, mayReport } from '../src/lib/report/rules.ts';
import type { AccessBook, Holder } from './access-book.ts';
import type { Logger } from './log.ts';
import type { Registry } from './registry.ts';
import type { ReportBook } from './reports.ts';

export const REPORT_ACTIONS = ['report', 'reports', 'handled'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export interface ReportContext {
	reports: ReportBook;
	registry: Registry;
	log: Logger;
	/** A new report arrived: the managers' news (no reason, no reporter), once per report. */
	reported?: (neighbourhood: string, item: NewsItem) => void;
}

/** Refusals as /api/notify names them (the HTTP status is the caller's: 403, 404, 429). */
export type ActionRefusal = 'waiting' | 'forbidden' | 'unknown' | 'tooMany' | 'unavailable';
/** The action's answer (src/lib/notify/api.ts NotifyAnswers), or why not. */
export type ActionAnswer = Record<string, unknown> | { refused: ActionRefusal };

const refuse = (refusal: ActionRefusal): ActionAnswer => ({ refused: refusal });

/** `body` was checked against NotifyRequests[action] by the caller. */
export function handleReportAction(action: ReportAction, body: unknown, holder: Holder, context: ReportContext): ActionAnswer {
	const { reports, log } = context;
	const n = holder.neighbourhood;
	switch (action) {
		case 'report': {
			if (!mayReport(holder.status)) return refuse('waiting');
			const { target, reason } = body as NotifyRequest<'report'>;
			// Only the neighbourhood's own documents: a report names nothing the managers cannot open.
			if (context.registry.ownerOf(target.document) !== n) return refuse('unknown');
			const added = reports.add(n, holder.memberId, { target, reason });
			if ('refused' in added) return refuse(added.refused);
			if (added.fresh) {
				log.info({ neighbourhood: n, report: added.report.id, kind: target.kind }, 'report made');
				try {
					context.reported?.(n, reportNews(added.report));
				} catch (error) {
					// Telling the managers is a courtesy: the report is kept and listed either way.
					log.warn({ err: error, neighbourhood: n }, 'report notice failed');
				}
			}
			// The same answer the second time: reporting twice is no mistake to tell anyone about.
			return { reportId: added.report.id };
		}
		case 'reports':
			if (!mayReadReports(holder.roles)) return refuse('forbidden');
			return { reports: reports.list(n) };
		case 'handled': {
			if (!mayReadReports(holder.roles)) return refuse('forbidden');
			const { reportId } = body as NotifyRequest<'handled'>;
			if (!reports.handled(n, reportId, holder.memberId)) return refuse('unknown');
			log.info({ neighbourhood: n, report: reportId, by: holder.memberId }, 'report handled');
			return {};
		}
	}
}

/**
 * Hands a new report to `deliver` once for each manager of the neighbourhood (as the relay's access
 * book says), each copy `for` that manager: phone notifications go to whom an item is for.
 */
export function toManagers(book: Pick<AccessBook, 'members'>, deliver: (neighbourhood: string, item: NewsItem) => void) {
	return (neighbourhood: string, item: NewsItem): void => {
		const managers = book.members(neighbourhood).members.filter((m) => m.status === 'active' && mayReadReports(m.roles));
		for (const manager of managers) deliver(neighbourhood, { ...item, for: manager.id });
	};
}
