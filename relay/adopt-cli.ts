// `noaber adopt-code`: the operator's one approval for a neighbourhood whose own relay is gone for
// good. The code goes to a member (by phone, on paper); their device brings the neighbourhood here
// from its own copy ("Onze server werkt niet meer" in the app). The code is printed once, on stdout,
// for the operator to hand on; the data folder keeps only its hash.
import { relaySocketUrl } from '../src/lib/neighbourhood/invite.ts';
import { AdoptCodes } from './adopt-codes.ts';
import { publicOrigin, type RelayConfig } from './config.ts';

type Out = { log: (line: string) => void; error: (line: string) => void };

export function runAdoptCommand(args: string[], config: RelayConfig, out: Out): number {
	const json = args.includes('--json');
	const unknown = args.find((a) => a !== '--json');
	if (unknown) {
		out.error(`Unknown option "${unknown}". Use: noaber adopt-code [--json]`);
		return 2;
	}
	const origin = publicOrigin(config);
	const made = new AdoptCodes(config.data).make();
	const answer = { address: origin, relay: relaySocketUrl(origin), code: made.code, expiresAt: made.expiresAt };
	if (json) {
		out.log(JSON.stringify(answer));
		return 0;
	}
	out.log('Geef dit aan één lid van de buurt / hand this to one member of the neighbourhood:');
	out.log(`  Adres van de server / server address: ${answer.address}`);
	out.log(`  Code: ${answer.code}`);
	out.log(`Werkt één keer, tot ${answer.expiresAt.slice(0, 10)} / works once, until ${answer.expiresAt}.`);
	out.log('In de app: Buurt › "Onze server werkt niet meer". / In the app: Buurt › "Our server no longer works".');
	return 0;
}
