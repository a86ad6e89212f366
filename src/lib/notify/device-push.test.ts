import { describe, expect, it } from 'vitest';
import { kindsOffered, pushSupport, type PushEnvironment } from './device-push.ts';

const chrome: PushEnvironment = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130', maxTouchPoints: 0, standalone: false, hasPush: true, permission: 'default' };
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1';
const ipad = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15';

describe('whether this device can get phone notifications', () => {
	it('an iPhone or iPad in a browser tab is told about the home screen, also when it has no Push', () => {
		expect(pushSupport({ ...chrome, userAgent: iphone, maxTouchPoints: 5, hasPush: false })).toBe('ios-home-screen');
		expect(pushSupport({ ...chrome, userAgent: ipad, maxTouchPoints: 5, hasPush: false })).toBe('ios-home-screen');
		expect(pushSupport({ ...chrome, userAgent: iphone, maxTouchPoints: 5, standalone: true })).toBe('ready');
	});

	it('a Mac is not an iPad, a browser without Push says so, and a refusal is remembered by the browser', () => {
		expect(pushSupport({ ...chrome, userAgent: ipad, maxTouchPoints: 0 })).toBe('ready');
		expect(pushSupport({ ...chrome, hasPush: false })).toBe('unsupported');
		expect(pushSupport({ ...chrome, permission: 'denied' })).toBe('denied');
		expect(pushSupport(chrome)).toBe('ready');
	});
});

describe('what a member can choose to hear about', () => {
	it('only people who run the neighbourhood hear who waits to be let in and what was reported', () => {
		expect(kindsOffered(false)).toEqual(['response', 'accepted', 'done', 'thanked', 'event-changed', 'event-cancelled', 'moved-up']);
		expect(kindsOffered(true)).toEqual([...kindsOffered(false), 'approval-waiting', 'report']);
	});
});
