/**
 * Key generation, COSE_Key encoding and signing for the test authenticator.
 *
 * Everything here is real node:crypto; nothing is mocked. The COSE encodings follow
 * WebAuthn §6.5.1.1 (examples of credentialPublicKey) and RFC 9053 / RFC 8230.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

export type Alg = 'ES256' | 'EdDSA' | 'RS256' | 'ES384';

/** COSE algorithm identifiers (IANA "COSE Algorithms" registry). */
export const COSE_ALG: Record<Alg, number> = { ES256: -7, EdDSA: -8, RS256: -257, ES384: -35 };

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

// RSA-2048 generation costs ~100 ms or more, an order of magnitude more than EC/Ed25519.
// Tests rarely care that two RS256 credentials have distinct keys, so by default one
// process-wide pair is reused (see AuthenticatorOptions.freshRsaKey).
let cachedRsa: KeyPair | undefined;

export function generateKeys(alg: Alg, freshRsa = false): KeyPair {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ES384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
    case 'RS256': {
      if (freshRsa) return generateKeyPairSync('rsa', { modulusLength: 2048 });
      cachedRsa ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
      return cachedRsa;
    }
  }
}

const fromJwk = (s: string | undefined): Uint8Array => {
  if (!s) throw new Error('JWK export is missing a coordinate');
  return new Uint8Array(Buffer.from(s, 'base64url'));
};

/**
 * CBOR-encode the public key as a COSE_Key. Map keys are integers and inserted in CTAP2
 * canonical order (1, 3, -1, -2, -3) because real authenticators emit that order and the
 * library re-encodes the decoded key to find its length inside authData.
 */
export function coseEncodePublicKey(alg: Alg, publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  const m = new Map<number, number | Uint8Array>();
  if (alg === 'ES256' || alg === 'ES384') {
    m.set(1, 2); // kty: EC2
    m.set(3, COSE_ALG[alg]);
    m.set(-1, alg === 'ES256' ? 1 : 2); // crv: P-256 = 1, P-384 = 2
    m.set(-2, fromJwk(jwk.x));
    m.set(-3, fromJwk(jwk.y));
  } else if (alg === 'EdDSA') {
    m.set(1, 1); // kty: OKP
    m.set(3, COSE_ALG.EdDSA);
    m.set(-1, 6); // crv: Ed25519
    m.set(-2, fromJwk(jwk.x));
  } else {
    m.set(1, 3); // kty: RSA
    m.set(3, COSE_ALG.RS256);
    m.set(-1, fromJwk(jwk.n)); // modulus
    m.set(-2, fromJwk(jwk.e)); // exponent
  }
  return new Uint8Array(isoCBOR.encode(m));
}

/**
 * Sign as an authenticator does (WebAuthn §6.5.5): ECDSA signatures are ASN.1 DER, not raw
 * r||s; RS256 is RSASSA-PKCS1-v1_5 with SHA-256; Ed25519 signs the message itself (no prehash).
 */
export function signData(alg: Alg, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  switch (alg) {
    case 'ES256':
      return new Uint8Array(sign('sha256', data, { key: privateKey, dsaEncoding: 'der' }));
    case 'ES384':
      return new Uint8Array(sign('sha384', data, { key: privateKey, dsaEncoding: 'der' }));
    case 'EdDSA':
      return new Uint8Array(sign(null, data, privateKey));
    case 'RS256':
      return new Uint8Array(sign('sha256', data, privateKey));
  }
}
