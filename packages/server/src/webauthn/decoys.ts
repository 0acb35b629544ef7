/**
 * Identifier-first sign-in for an unknown identifier answers exactly like a known one: a stable,
 * plausible allowCredentials list derived by HMAC from a per-instance secret, so asking twice
 * gives the same answer and nothing distinguishes "no such user" (no user enumeration).
 *
 * "Exactly" covers every field a caller sees: transports are listed sorted, as browsers report
 * them (`getTransports()` is lexicographic), and an attempt with a decoy's credential id is
 * verified — against a stand-in credential whose private key no one holds — so it fails the way a
 * real credential with a bad signature fails, same status, code and message, after the same work.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { PublicKeyCredentialDescriptorJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import type { StoredCredential } from './verify-authentication.js';

const LENGTHS = [16, 20, 32] as const;
const TRANSPORTS = ['hybrid', 'internal'] as const;

export function decoyCredentials(secret: string, normalizedIdentifier: string): PublicKeyCredentialDescriptorJSON[] {
  const seed = createHmac('sha256', secret).update(`decoy:${normalizedIdentifier}`).digest();
  const count = 1 + (seed[0]! % 2);
  return Array.from({ length: count }, (_, i) => {
    const bytes = createHmac('sha256', secret).update(`decoy:${normalizedIdentifier}:${i}`).digest();
    const length = LENGTHS[seed[1 + i]! % LENGTHS.length]!;
    return { id: bytes.subarray(0, length).toString('base64url'), type: 'public-key' as const, transports: [...TRANSPORTS] };
  });
}

/**
 * A P-256 key made at start-up whose private half is dropped at once: no signature can verify
 * with it, and checking one costs what checking a real passkey's costs (the usual ES256).
 */
const STAND_IN_KEY: Uint8Array<ArrayBuffer> = (() => {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const cose = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
    [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
  ]);
  return new Uint8Array(isoCBOR.encode(cose));
})();

/**
 * The credential a decoy id stands for, to verify an attempt against. Its user handle is derived
 * like the ids (a caller who sends one gets the same "not the owner's" answer as for a real
 * account, whose handle they do not know either).
 */
export function decoyStoredCredential(secret: string, normalizedIdentifier: string, credentialId: string): StoredCredential {
  const handle = createHmac('sha256', secret).update(`decoy-handle:${normalizedIdentifier}`).digest();
  return { credentialId, publicKey: STAND_IN_KEY, counter: 0, backupEligible: false, userHandle: handle.toString('base64url') };
}
