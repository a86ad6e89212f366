// Saving a file the app made (a calendar, an export) without a server round trip.
import { fold } from '../text/fold.ts';

export function download(filename: string, content: BlobPart, type: string): void {
	const url = URL.createObjectURL(new Blob([content], { type }));
	const link = document.createElement('a');
	link.href = url;
	link.download = filename;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a title: letters, digits, dashes. */
export const fileName = (title: string, extension: string): string =>
	`${fold(title).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'noaber'}.${extension}`;
