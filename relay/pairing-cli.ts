// `noaber pairing-code [--json]`: a one-time code with which a manager of a neighbourhood on
// another relay adds this relay (pairing.ts). Works whether or not the relay runs.
import { type RelayConfig, publicOrigin } from './config.ts';
import { makePairingCode, PAIRING_CODE_MS } from './pairing.ts';
import { Registry } from './registry.ts';

type Out = { log: (line: string) => void; error: (line: string) => void };

export function runPairingCode(argv: string[], config: RelayConfig, out: Out): number {
	const json = argv.includes('--json');
	const unknown = argv.find((a) => a !== '--json');
	if (unknown) {
		out.error(`Unknown option "${unknown}". See: noaber help`);
		return 2;
	}
	// Makes the data folder as the relay would, so a code can be made before its first start.
	new Registry(config.data);
	const { code, expiresAt } = makePairingCode(config.data);
	const relay = publicOrigin(config);
	if (json) {
		out.log(JSON.stringify({ relay, code, expiresAt }));
		return 0;
	}
	out.log(`Koppelcode voor een beheerder van een buurt op een andere server / pairing code (works once, for ${PAIRING_CODE_MS / 86_400_000} days, until ${expiresAt.slice(0, 10)}):`);
	out.log(`Adres van deze server / this relay's address: ${relay}`);
	out.log('Geef deze code alleen aan de beheerder / hand this code to the manager only:');
	out.log(code);
	if (!config.publicUrl) out.error('NOABER_PUBLIC_URL is not set: the address above only works on this machine. Give the manager the address residents use.');
	return 0;
}
