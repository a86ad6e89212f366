// The one HPKE suite Noaber seals with (RFC 9180: X25519, HKDF-SHA256, AES-128-GCM), from
// @hpke/core on the platform's WebCrypto. No cryptography is written here: this module only picks
// the suite, so every sealer and opener agrees on it.
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

let suite: CipherSuite | undefined;

export function hpke(): CipherSuite {
	suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });
	return suite;
}
