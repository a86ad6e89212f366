// JSON logs on stderr. Keys, setup tokens and query strings never reach a log line: the relay logs
// neighbourhood ids and reasons, and pino's redaction is a second fence.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
	return pino(
		{
			level,
			base: { service: 'noaber-relay' },
			redact: { paths: ['key', '*.key', 'token', '*.token', 'url', '*.url', 'req.url'], censor: '[redacted]' }
		},
		destination ?? pino.destination(2)
	);
}
