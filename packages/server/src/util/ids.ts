import { createHash } from 'node:crypto';
import { randomBase64url } from './random.js';

export type IdPrefix = 'adm' | 'apk' | 'alink' | 'asess' | 'acer' | 'user' | 'idn' | 'pk' | 'client' | 'sess' | 'sia' | 'sua' | 'key' | 'jtmp' | 'msg' | 'ep' | 'whd' | 'esd' | 'rc' | 'rca';

/**
 * Symbols for the time part: 32 of them, in the same order in ASCII and in every collation
 * (digits, then lower-case letters), so ids sort by creation time in SQLite and PostgreSQL alike.
 */
const TIME_SYMBOLS = '0123456789abcdefghijklmnopqrstuv';
const TIME_CHARS = 10; // 50 bits of milliseconds: until the year 37,648

function timePart(ms: number): string {
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = TIME_SYMBOLS[ms % 32]! + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/**
 * A resource id such as `sess_0ssb9k3q2h…`: 22 characters after the prefix, a creation-time part
 * (10) and 72 random bits from the CSPRNG (12). Time-ordered ids land on the right edge of their
 * primary-key index, so a sign-in's inserts touch the same few index pages instead of random ones
 * (docs/performance.md). Ids are not secrets — every lookup is also scoped to its owner — and
 * the random part keeps them unguessable all the same.
 */
export function newId(prefix: IdPrefix, nowMs: number = Date.now()): string {
  return `${prefix}_${timePart(nowMs)}${randomBase64url(9)}`;
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

/**
 * An id with the form of `newId` built from given parts (a creation time and 12 base64url
 * characters): a decoy's stable id (sign-in/email-factor.ts) looks like any other.
 */
export function idFromParts(prefix: IdPrefix, ms: number, random12: string): string {
  return `${prefix}_${timePart(ms)}${random12.slice(0, 12)}`;
}
