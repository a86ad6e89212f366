// Reports ("Melden") the relay keeps for the managers: one file per neighbourhood,
// reports/<id>.json (0600), written whole. A report names who made it, which is why it lives on
// the relay and not in a shared document every device holds: only managers read it
// (src/lib/report/rules.ts), through the relay.
import { join } from 'node:path';
import * as v from 'valibot';
import { Report, type NotifyRequest } from '../src/lib/notify/api.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { newId } from './secrets.ts';

/** Enough for years of a neighbourhood's reports; the oldest dealt-with ones make room. */
export const MAX_REPORTS = 1000;
/** Open reports one member may have at a time: reporting is for problems, not for flooding. */
export const MAX_OPEN_PER_MEMBER = 50;

const ReportFile = v.object({ reports: v.array(Report) });
type ReportFile = v.InferOutput<typeof ReportFile>;
export type Target = NotifyRequest<'report'>['target'];

export type Added = { report: Report; fresh: boolean } | { refused: 'tooMany' };

const sameTarget = (a: Target, b: Target) => a.kind === b.kind && a.id === b.id && (a.post ?? '') === (b.post ?? '');

export class ReportBook {
	readonly #dir: string;
	readonly #now: () => number;

	constructor(data: string, now: () => number = Date.now) {
		this.#dir = join(data, 'reports');
		this.#now = now;
	}

	#path(neighbourhood: string) {
		return join(this.#dir, `${neighbourhood}.json`);
	}

	#read(neighbourhood: string): ReportFile {
		return readJsonFile(this.#path(neighbourhood), ReportFile, () => ({ reports: [] }));
	}

	/** A member reports something; the same member reporting the same thing again gets the first report back. */
	add(neighbourhood: string, by: string, input: { target: Target; reason: string }): Added {
		const file = this.#read(neighbourhood);
		const earlier = file.reports.find((r) => r.by === by && sameTarget(r.target, input.target));
		if (earlier) return { report: earlier, fresh: false };
		if (file.reports.filter((r) => r.by === by && !r.handledAt).length >= MAX_OPEN_PER_MEMBER) return { refused: 'tooMany' };
		if (file.reports.length >= MAX_REPORTS) {
			const oldestHandled = file.reports.findIndex((r) => r.handledAt);
			if (oldestHandled < 0) return { refused: 'tooMany' };
			file.reports.splice(oldestHandled, 1);
		}
		const report: Report = { id: newId(), target: input.target, reason: input.reason, by, at: new Date(this.#now()).toISOString() };
		file.reports.push(report);
		writeJsonFile(this.#path(neighbourhood), file);
		return { report, fresh: true };
	}

	/** Newest first. */
	list(neighbourhood: string): Report[] {
		return this.#read(neighbourhood).reports.slice().reverse();
	}

	/** Marks a report dealt with; false when there is no such report. Marking it twice keeps the first. */
	handled(neighbourhood: string, reportId: string, by: string): boolean {
		const file = this.#read(neighbourhood);
		const report = file.reports.find((r) => r.id === reportId);
		if (!report) return false;
		if (report.handledAt) return true;
		report.handledAt = new Date(this.#now()).toISOString();
		report.handledBy = by;
		writeJsonFile(this.#path(neighbourhood), file);
		return true;
	}

	/** Reports nobody dealt with yet, newest first: managers' news. */
	open(neighbourhood: string): Report[] {
		return this.list(neighbourhood).filter((r) => !r.handledAt);
	}
}
