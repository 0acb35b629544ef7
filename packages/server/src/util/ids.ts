import { createHash } from 'node:crypto';
import { randomBase64url } from './random.js';

export type IdPrefix = 'user' | 'idn' | 'pk' | 'client' | 'sess' | 'sia' | 'sua' | 'key';

/** A random, unguessable resource id such as `pk_3q2+…` (128 bits from the CSPRNG). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase64url(16)}`;
}

/** A bearer secret (the `__client` cookie value): 256 bits. */
export function newToken(): string {
  return randomBase64url(32);
}

/**
 * Tokens are stored as SHA-256 digests: a database leak does not hand out live cookies. A fast
 * hash is right here because the input is 256 random bits, not a password; lookups go by the
 * digest through a unique index, so no secret is compared byte by byte in application code.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
