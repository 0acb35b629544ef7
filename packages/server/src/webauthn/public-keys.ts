/**
 * Assertion signatures, checked with node:crypto against a public key parsed once per credential.
 *
 * Why this module exists: @simplewebauthn/server's verifyAuthenticationResponse decodes the COSE
 * key, imports it into WebCrypto and verifies asynchronously on every call. On the sign-in hot
 * path the import costs several times the signature check itself. Here a credential's key is
 * parsed into a KeyObject once and kept in a small bounded map keyed by credential id. Each entry
 * also keeps the stored key bytes; when they differ (a re-registered or rotated credential) the
 * key is parsed again, so a stale key is never used.
 *
 * What verifies is what the library (v14) verifies, and verify-authentication.diff.test.ts checks
 * that over a corpus of valid and tampered assertions:
 * - the key type decides the scheme and `alg` only the hash (an EC2 key with `alg` −35 is ECDSA
 *   with SHA-384 whatever its curve), exactly as the library maps them;
 * - ECDSA signatures must be strict ASN.1 DER (strict-der.ts). Here we are stricter than the
 *   library, whose ASN.1 parser tolerates BER lengths, trailing bytes and other tags: those
 *   encodings are refused (issue 9), and the differential test counts them as our own rule.
 */
import { constants, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { strictDerToP1363 } from './strict-der.js';

type Hash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export type AssertionKey =
  | { scheme: 'ecdsa'; key: KeyObject; hash: Hash; componentLength: number }
  | { scheme: 'rsa-pkcs1'; key: KeyObject; hash: Hash }
  | { scheme: 'rsa-pss'; key: KeyObject; hash: Hash; saltLength: number }
  | { scheme: 'ed25519'; key: KeyObject };

// COSE key parameters (RFC 9052 §7, RFC 9053, RFC 8230).
const KTY = 1;
const ALG = 3;
const CRV = -1; // EC2 and OKP
const X = -2;
const Y = -3;
const N = -1; // RSA
const E = -2;
const KTY_OKP = 1;
const KTY_EC2 = 2;
const KTY_RSA = 3;

/** Every `alg` the library knows (its COSEALG); ML-DSA ones this runtime cannot verify. */
const KNOWN_ALGS = new Set([-7, -8, -35, -36, -37, -38, -39, -47, -48, -49, -50, -257, -258, -259, -65535]);
const ML_DSA = new Set([-48, -49, -50]);

/** The library's hash for each `alg` (mapCoseAlgToWebCryptoHashAlgName), EdDSA included. */
function hashOf(alg: number): Hash {
  if (alg === -65535) return 'sha1';
  if (alg === -7 || alg === -37 || alg === -257) return 'sha256';
  if (alg === -35 || alg === -38 || alg === -258) return 'sha384';
  if (alg === -36 || alg === -39 || alg === -259 || alg === -8) return 'sha512';
  throw new Error(`the public key's alg ${alg} has no hash algorithm`);
}

const EC_CURVES: Record<number, { crv: string; componentLength: number }> = {
  1: { crv: 'P-256', componentLength: 32 },
  2: { crv: 'P-384', componentLength: 48 },
  3: { crv: 'P-521', componentLength: 66 },
};
const PSS_SALT: Record<number, number> = { [-37]: 32, [-38]: 48, [-39]: 64 };
const PKCS1_ALGS = new Set([-257, -258, -259, -65535]);

function bytes(cose: Map<number, unknown>, label: number, what: string): string {
  const v = cose.get(label);
  if (!(v instanceof Uint8Array)) throw new Error(`the public key lacks ${what}`);
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64url');
}

const importJwk = (jwk: JsonWebKey): KeyObject => createPublicKey({ key: jwk, format: 'jwk' });

/** COSE_Key (as stored at registration) → a ready KeyObject and how to verify with it. */
export function parseCosePublicKey(stored: Uint8Array): AssertionKey {
  let cose: Map<number, unknown>;
  try {
    cose = decodeCredentialPublicKey(new Uint8Array(stored)) as unknown as Map<number, unknown>;
  } catch (err) {
    throw new Error(`the stored public key is not CBOR: ${(err as Error).message}`);
  }
  if (!(cose instanceof Map)) throw new Error('the stored public key is not a COSE_Key');
  const alg = cose.get(ALG);
  if (typeof alg !== 'number') throw new Error('the public key has no numeric alg');
  if (ML_DSA.has(alg)) throw new Error(`the public key's alg ${alg} (ML-DSA) is not supported by this runtime`);
  switch (cose.get(KTY)) {
    case KTY_EC2: {
      const curve = EC_CURVES[cose.get(CRV) as number];
      if (!curve) throw new Error(`the EC2 public key has unsupported crv ${String(cose.get(CRV))}`);
      const hash = hashOf(alg);
      const key = importJwk({ kty: 'EC', crv: curve.crv, x: bytes(cose, X, 'x'), y: bytes(cose, Y, 'y') });
      return { scheme: 'ecdsa', key, hash, componentLength: curve.componentLength };
    }
    case KTY_RSA: {
      if (!KNOWN_ALGS.has(alg)) throw new Error(`the RSA public key has unknown alg ${alg}`);
      const jwk = { kty: 'RSA', n: bytes(cose, N, 'n'), e: bytes(cose, E, 'e') };
      if (PKCS1_ALGS.has(alg)) return { scheme: 'rsa-pkcs1', key: importJwk(jwk), hash: hashOf(alg) };
      const saltLength = PSS_SALT[alg];
      if (saltLength !== undefined) return { scheme: 'rsa-pss', key: importJwk(jwk), hash: hashOf(alg), saltLength };
      throw new Error(`the RSA public key has alg ${alg}, which is not an RSA algorithm`);
    }
    case KTY_OKP: {
      if (!KNOWN_ALGS.has(alg)) throw new Error(`the OKP public key has unknown alg ${alg}`);
      if (cose.get(CRV) !== 6) throw new Error(`the OKP public key has unsupported crv ${String(cose.get(CRV))}`);
      return { scheme: 'ed25519', key: importJwk({ kty: 'OKP', crv: 'Ed25519', x: bytes(cose, X, 'x') }) };
    }
    default:
      throw new Error(`public keys of kty ${String(cose.get(KTY))} are not supported`);
  }
}

function verifyWithKey(k: AssertionKey, data: Buffer, signature: Buffer): boolean {
  try {
    switch (k.scheme) {
      case 'ecdsa': {
        // Strict DER only (strict-der.ts): any other spelling of r and s is refused outright.
        const p1363 = strictDerToP1363(signature, k.componentLength);
        return p1363 !== null && verify(k.hash, data, { key: k.key, dsaEncoding: 'ieee-p1363' }, p1363);
      }
      case 'rsa-pkcs1':
        return verify(k.hash, data, { key: k.key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        return verify(k.hash, data, { key: k.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: k.saltLength }, signature);
      case 'ed25519':
        return verify(null, data, k.key, signature);
    }
  } catch {
    return false;
  }
}

/** Parsed keys by credential id, least recently used dropped first. */
export class AssertionKeyCache {
  private readonly entries = new Map<string, { stored: Buffer; key: AssertionKey }>();
  parses = 0;
  hits = 0;

  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(credentialId: string, stored: Uint8Array): AssertionKey {
    const entry = this.entries.get(credentialId);
    this.entries.delete(credentialId);
    if (entry && entry.stored.equals(stored)) {
      this.entries.set(credentialId, entry);
      this.hits++;
      return entry.key;
    }
    // New, or the stored key changed: parse the bytes we were given, never reuse the old key.
    const key = parseCosePublicKey(stored);
    this.parses++;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(credentialId, { stored: Buffer.from(stored), key });
    return key;
  }
}

/** The process-wide cache behind verifyAuthentication. */
export const assertionKeys = new AssertionKeyCache();

/**
 * Does `signature` verify over `data` (authenticatorData ‖ SHA-256(clientDataJSON)) with the
 * credential's stored public key? Throws if the stored key cannot be used at all.
 */
export async function verifyAssertionSignature(o: {
  credentialId: string;
  publicKey: Uint8Array;
  data: Buffer;
  signature: Buffer;
}): Promise<boolean> {
  return verifyWithKey(assertionKeys.get(o.credentialId, o.publicKey), o.data, o.signature);
}
