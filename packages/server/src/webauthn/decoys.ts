/**
 * Identifier-first sign-in for an unknown identifier answers exactly like a known one: a stable,
 * plausible allowCredentials list derived by HMAC from a per-instance secret, so asking twice
 * gives the same answer and nothing distinguishes "no such user" (no user enumeration).
 */
import { createHmac } from 'node:crypto';
import type { PublicKeyCredentialDescriptorJSON } from '@simplewebauthn/server';

const LENGTHS = [16, 20, 32] as const;

export function decoyCredentials(secret: string, normalizedIdentifier: string): PublicKeyCredentialDescriptorJSON[] {
  const seed = createHmac('sha256', secret).update(`decoy:${normalizedIdentifier}`).digest();
  const count = 1 + (seed[0]! % 2);
  return Array.from({ length: count }, (_, i) => {
    const bytes = createHmac('sha256', secret).update(`decoy:${normalizedIdentifier}:${i}`).digest();
    const length = LENGTHS[seed[1 + i]! % LENGTHS.length]!;
    return { id: bytes.subarray(0, length).toString('base64url'), type: 'public-key' as const, transports: ['internal', 'hybrid'] };
  });
}
