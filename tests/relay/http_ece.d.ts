// http_ece (web-push's own dependency) ships no types; the tests use only its decrypt.
declare module 'http_ece' {
	import type { ECDH } from 'node:crypto';
	export function decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer;
}
