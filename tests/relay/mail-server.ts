// A local SMTP server for the digest tests (smtp-server), with the mails it received parsed by
// mailparser as a mail program would read them.
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface TestMailServer {
	/** smtp://user:password@127.0.0.1:<port>, as an operator would set NOABER_SMTP_URL. */
	url: string;
	password: string;
	mails: ParsedMail[];
	close(): Promise<void>;
}

export async function startMailServer(): Promise<TestMailServer> {
	const mails: ParsedMail[] = [];
	const password = 'geheim-smtp-wachtwoord-42';
	const server = new SMTPServer({
		// No TLS on a loopback test server; the operator's server normally offers STARTTLS.
		disabledCommands: ['STARTTLS'],
		allowInsecureAuth: true,
		logger: false,
		onAuth(auth, _session, done) {
			if (auth.username === 'buurt' && auth.password === password) done(null, { user: 'buurt' });
			else done(new Error('wrong password'));
		},
		onData(stream, _session, done) {
			simpleParser(stream).then(
				(mail) => {
					mails.push(mail);
					done();
				},
				(error: Error) => done(error)
			);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://buurt:${password}@127.0.0.1:${port}`,
		password,
		mails,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
