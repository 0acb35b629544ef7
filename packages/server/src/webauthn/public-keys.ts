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
 * - ECDSA signatures are ASN.1 DER. A plainly encoded one — what every conforming authenticator
 *   sends — is unwrapped here with the library's rules for r and s (shorter values are padded,
 *   a sign byte is dropped). Any other encoding (BER lengths, trailing bytes, other tags: the
 *   library's ASN.1 parser tolerates many) goes to the library's own `verifySignature`, so those
 *   rare signatures get exactly the library's answer, at the library's price.
 */
import { constants, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { decodeCredentialPublicKey, verifySignature } from '@simplewebauthn/server/helpers';

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

/**
 * r and s as the library takes them from an ASN.1 INTEGER (unwrapEC2Signature): the content
 * bytes, left-padded to the curve's size, or with one leading zero dropped before a high bit.
 */
function component(der: Buffer, start: number, length: number, size: number, out: Buffer, at: number): boolean {
  if (length <= size) {
    der.copy(out, at + size - length, start, start + length);
    return true;
  }
  if (length === size + 1 && der[start] === 0 && (der[start + 1]! & 0x80) === 0x80) {
    der.copy(out, at, start + 1, start + length);
    return true;
  }
  return false;
}

/**
 * SEQUENCE { INTEGER r, INTEGER s } in plain DER — definite minimal lengths, universal tags,
 * nothing after — to r‖s. Returns null for any other encoding (the caller defers to the library)
 * and false when r or s is too long for the curve (the library refuses those).
 */
function plainDerToP1363(der: Buffer, size: number): Buffer | false | null {
  if (der.length < 2 || der[0] !== 0x30) return null;
  let i = 2;
  let seqLength = der[1]!;
  if (seqLength === 0x81 && der.length >= 3 && der[2]! >= 0x80) {
    seqLength = der[2]!;
    i = 3;
  } else if (seqLength >= 0x80) {
    return null;
  }
  if (i + seqLength !== der.length) return null;
  const out = Buffer.alloc(2 * size);
  for (const at of [0, size]) {
    if (i + 2 > der.length || der[i] !== 0x02 || der[i + 1]! >= 0x80) return null;
    const length = der[i + 1]!;
    const start = i + 2;
    if (start + length > der.length) return null;
    if (!component(der, start, length, size, out, at)) return false;
    i = start + length;
  }
  return i === der.length ? out : null;
}

const DEFER = Symbol('defer to the library');

function verifyWithKey(k: AssertionKey, data: Buffer, signature: Buffer): boolean | typeof DEFER {
  try {
    switch (k.scheme) {
      case 'ecdsa': {
        const p1363 = plainDerToP1363(signature, k.componentLength);
        if (p1363 === null) return DEFER;
        return p1363 !== false && verify(k.hash, data, { key: k.key, dsaEncoding: 'ieee-p1363' }, p1363);
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

let deferred = 0;
/** How many ECDSA signatures were not plain DER and went to the library (for tests). */
export const deferredToLibrary = (): number => deferred;

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
  const result = verifyWithKey(assertionKeys.get(o.credentialId, o.publicKey), o.data, o.signature);
  if (result !== DEFER) return result;
  deferred++;
  return verifySignature({
    signature: new Uint8Array(o.signature),
    data: new Uint8Array(o.data),
    credentialPublicKey: new Uint8Array(o.publicKey),
  });
}
