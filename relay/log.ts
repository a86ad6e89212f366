// JSON logs on stderr. Keys, setup tokens, query strings and feed addresses (the secret is in the
// path of /ical/<secret>.ics) never reach a log line: the relay logs neighbourhood ids and reasons,
// and pino's redaction is a second fence.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
	return pino(
		{
			level,
			base: { service: 'noaber-relay' },
			redact: {
				paths: [
					'key',
					'*.key',
					'token',
					'*.token',
					'url',
					'*.url',
					'req.url',
					'ical',
					'*.ical',
					'authorization',
					'*.authorization',
					'req.headers.authorization'
				],
				censor: '[redacted]'
			}
		},
		destination ?? pino.destination(2)
	);
}
