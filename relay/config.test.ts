import { describe, expect, it } from 'vitest';
import { main } from './cli.ts';
import { configFromEnv } from './config.ts';
import { appVersion } from './version.ts';

describe('the environment, checked at start', () => {
	it('takes the defaults and valid values', () => {
		const config = configFromEnv({});
		expect(config).toMatchObject({ port: 3000, logLevel: 'info', maxPayload: 32 * 1024 * 1024 });
		expect(configFromEnv({ PORT: '8080', LOG_LEVEL: 'warn', NOABER_MAX_FRAME: '1048576' })).toMatchObject({ port: 8080, logLevel: 'warn', maxPayload: 1048576 });
	});

	it('names the variable and what it must be for each wrong value', () => {
		expect(() => configFromEnv({ NOABER_MAX_FRAME: 'abc' })).toThrow('NOABER_MAX_FRAME must be a whole number of bytes from 65536 to 1073741824, not "abc"');
		expect(() => configFromEnv({ NOABER_MAX_FRAME: '100' })).toThrow('NOABER_MAX_FRAME must be');
		expect(() => configFromEnv({ NOABER_MAX_FRAME: '1e9' })).toThrow('NOABER_MAX_FRAME must be');
		expect(() => configFromEnv({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"');
		expect(() => configFromEnv({ PORT: 'abc' })).toThrow('PORT must be a port number, not "abc"');
		expect(() => configFromEnv({ PORT: '-1' })).toThrow('PORT must be a port number');
		expect(() => configFromEnv({ PORT: '70000' })).toThrow('PORT must be a port number');
		expect(() => configFromEnv({ NOABER_PUBLIC_URL: 'buurt.example.nl' })).toThrow('NOABER_PUBLIC_URL must be an http:// or https:// address');
		expect(() => configFromEnv({ NOABER_TRUSTED_PROXIES: 'caddy' })).toThrow('NOABER_TRUSTED_PROXIES must be the addresses of your reverse proxies, or ranges, separated by commas');
		expect(() => configFromEnv({ NOABER_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow('NOABER_TRUSTED_PROXIES must be');
		expect(configFromEnv({ NOABER_TRUSTED_PROXIES: '127.0.0.1, ::1, 172.16.0.0/12' }).trustedProxies).toBe('127.0.0.1, ::1, 172.16.0.0/12');
	});

	it('stops every operator command with exit code 2 and one line, without a stack trace', async () => {
		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
		expect(await main(['list'], out, { NOABER_MAX_FRAME: 'abc' })).toBe(2);
		expect(lines).toEqual(['NOABER_MAX_FRAME must be a whole number of bytes from 65536 to 1073741824, not "abc"']);
	});

	it('prints the version for --version, alone or after any command', async () => {
		const lines: string[] = [];
		const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
		expect(await main(['--version'], out, {})).toBe(0);
		expect(await main(['backup', '--version'], out, {})).toBe(0);
		expect(lines).toEqual([`noaber ${appVersion()}`, `noaber ${appVersion()}`]);
		expect(appVersion()).toMatch(/^\d+\.\d+\.\d+$/);
	});

	it('prints the commands for --help after any command, and reads nothing', async () => {
		for (const argv of [['--help'], ['create', '--help'], ['backup', '--help'], ['export', 'Lindenbuurt', '-h']]) {
			const lines: string[] = [];
			const out = { log: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
			expect(await main(argv, out, { NOABER_MAX_FRAME: 'abc' }), argv.join(' ')).toBe(0);
			expect(lines.join('\n')).toContain('noaber export <id|name>');
		}
	});
});
