// LEESMIJ.txt inside every export: what the file is and how to use it, for someone who opens the
// ZIP without knowing Noaber. Dutch first (B1), then English. Plain text with CRLF line ends so it
// opens well in Windows Notepad too.
import { ACCESS, READABLE } from './format.ts';

export function readmeText(input: { name: string; createdAt: string; withAccess: boolean }): string {
	const day = input.createdAt.slice(0, 10);
	const lines = [
		`Noaber: export van ${input.name} (${day})`,
		'',
		'Dit bestand is een kopie van de hele buurt in Noaber: alle hulpvragen, de agenda, de sociale kaart',
		'en de leden, met de volledige geschiedenis.',
		'',
		'Wat zit erin?',
		`- ${READABLE.agenda}: de agenda. Open het met uw agenda-programma.`,
		`- ${READABLE.map}: de sociale kaart, in de open standaard HSDS.`,
		`- ${READABLE.helpCsv} en ${READABLE.helpJson}: alle hulpvragen en hulpaanbod. Open de CSV met een rekenblad.`,
		`- ${READABLE.membersCsv} en ${READABLE.membersJson}: de leden, met naam, straat (als die voor iedereen zichtbaar is) en rol.`,
		'- documents/: de buurt zelf, voor Noaber. Deze bestanden kunt u niet lezen.',
		'- manifest.json: een lijst van alle bestanden met controlegetallen.',
		...(input.withAccess
			? [
					`- ${ACCESS.registry} en ${ACCESS.book}: wie lid is, met welke rol, en de toegang van hun apparaten.`,
					'  Daarin staan alleen versleutelde codes (hashes), geen wachtwoorden. Bewaar dit bestand toch goed, als een back-up.'
				]
			: []),
		'',
		'Telefoonnummers en afgeschermde gegevens staan niet in de leesbare bestanden.',
		'',
		'Terugzetten op een Noaber-server:',
		'  npx noaber import <dit bestand>',
		'Zo komt de buurt terug met dezelfde gegevens en geschiedenis. Twee keer importeren kan geen kwaad.',
		'',
		'----',
		'',
		`Noaber: export of ${input.name} (${day})`,
		'',
		'This file is a copy of the whole neighbourhood in Noaber: every help post, the agenda, the social map',
		'and the members, with their full history.',
		'',
		'What is in it?',
		`- ${READABLE.agenda}: the agenda (iCalendar). Open it with your calendar app.`,
		`- ${READABLE.map}: the social map, in the open HSDS standard.`,
		`- ${READABLE.helpCsv} and ${READABLE.helpJson}: every help request and offer. Open the CSV with a spreadsheet.`,
		`- ${READABLE.membersCsv} and ${READABLE.membersJson}: the members: name, street (when shown to everyone) and role.`,
		'- documents/: the neighbourhood itself, for Noaber (Automerge documents with their history).',
		'- manifest.json: every file with its size and SHA-256 checksum.',
		...(input.withAccess
			? [
					`- ${ACCESS.registry} and ${ACCESS.book}: who is a member, in which role, and their devices' access.`,
					'  It holds hashes only, never a secret. Keep this file safe all the same, like a backup.'
				]
			: []),
		'',
		'Phone numbers and sealed (encrypted) details are not in the readable files.',
		'',
		'To put it on a Noaber relay:',
		'  npx noaber import <this file>',
		'The neighbourhood comes back with the same data and history. Importing twice does no harm.',
		''
	];
	return lines.join('\r\n');
}
