// A phone number as a phone dials it. People write a Dutch number for callers from abroad as
// "+31 (0)6 1234 5678": the 0 in brackets is for callers inside the country and must not be
// dialled after +31.

/** The `tel:` address of a stored number: digits and a leading +, without an international "(0)". */
export function telHref(phone: string): string {
	const trimmed = phone.trim();
	const international = trimmed.startsWith('+') || trimmed.startsWith('00');
	const dialled = international ? trimmed.replace(/\(\s*0\s*\)/g, '') : trimmed;
	return `tel:${dialled.replace(/[^+0-9]/g, '')}`;
}
