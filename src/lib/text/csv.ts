// A CSV file as spreadsheet programs open it well: UTF-8 with a byte-order mark (so accents read
// right), CRLF line ends, and no cell that a spreadsheet would run as a formula.
import Papa from 'papaparse';

/** Spreadsheet programs run a cell starting with these as a formula: a title typed by anyone stays text. */
const safeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** `columns` are the header and the keys read from each row, in order. */
export function csv(rows: Record<string, string>[], columns: string[]): string {
	const cells = rows.map((row) => columns.map((c) => safeCell(row[c] ?? '')));
	return `\uFEFF${Papa.unparse({ fields: columns, data: cells }, { newline: '\r\n' })}\r\n`;
}
