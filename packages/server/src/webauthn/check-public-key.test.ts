import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { describe, expect, it } from 'vitest';
import { checkCredentialPublicKey } from './check-public-key.js';
import { CeremonyRejected } from './client-data.js';

const b = (s: string | undefined) => new Uint8Array(Buffer.from(s!, 'base64url'));
const cose = (entries: [number, number | Uint8Array][]) => new Uint8Array(isoCBOR.encode(new Map(entries)));

function ec(key: KeyObject, o: { x?: (x: Uint8Array) => Uint8Array; y?: (y: Uint8Array) => Uint8Array; crv?: number } = {}) {
  const jwk = key.export({ format: 'jwk' });
  const x = b(jwk.x);
  const y = b(jwk.y);
  return cose([[1, 2], [3, -7], [-1, o.crv ?? 1], [-2, o.x ? o.x(x) : x], [-3, o.y ? o.y(y) : y]]);
}
function rsa(key: KeyObject, e?: Uint8Array) {
  const jwk = key.export({ format: 'jwk' });
  return cose([[1, 3], [3, -257], [-1, b(jwk.n)], [-2, e ?? b(jwk.e)]]);
}
const ed = (x: Uint8Array) => cose([[1, 1], [3, -8], [-1, 6], [-2, x]]);

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
const ed25519 = b(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x);

describe('checkCredentialPublicKey', () => {
  it('accepts sound P-256, RSA-2048 and Ed25519 keys', () => {
    expect(() => checkCredentialPublicKey(ec(p256))).not.toThrow();
    expect(() => checkCredentialPublicKey(rsa(rsa2048))).not.toThrow();
    expect(() => checkCredentialPublicKey(ed(ed25519))).not.toThrow();
  });

  const flip = (v: Uint8Array) => {
    const c = new Uint8Array(v);
    c[c.length - 1]! ^= 1;
    return c;
  };
  it.each([
    ['a point off the curve', () => ec(p256, { y: flip })],
    ['a truncated x', () => ec(p256, { x: (x) => x.subarray(1) })],
    ['a truncated y', () => ec(p256, { y: (y) => y.subarray(0, 31) })],
    ['the point at zero', () => ec(p256, { x: () => new Uint8Array(32), y: () => new Uint8Array(32) })],
    ['P-256 coordinates under the P-384 curve id', () => ec(p256, { crv: 2 })],
    ['an unknown curve', () => ec(p256, { crv: 9 })],
    ['no y at all', () => cose([[1, 2], [3, -7], [-1, 1], [-2, new Uint8Array(32)]])],
    ['an RSA-1024 modulus', () => rsa(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)],
    ['an even RSA exponent', () => rsa(rsa2048, new Uint8Array([0x01, 0x00, 0x00]))],
    ['RSA exponent 1', () => rsa(rsa2048, new Uint8Array([1]))],
    ['a 31-byte Ed25519 key', () => ed(ed25519.subarray(1))],
    ['a 33-byte Ed25519 key', () => ed(new Uint8Array([...ed25519, 0]))],
    ['bytes that are not CBOR', () => new Uint8Array([0xff, 0x00])],
    ['an unknown key type', () => cose([[1, 4], [3, -7]])],
  ])('refuses %s with CeremonyRejected', (_, make) => {
    expect(() => checkCredentialPublicKey(make())).toThrow(CeremonyRejected);
  });
});
