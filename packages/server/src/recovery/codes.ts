/**
 * Recovery codes: ten per user, each `xxxxx-xxxxx` from a 30-letter alphabet without look-alikes
 * (no 0/o, 1/i/l, u/v pairs), drawn from the CSPRNG: 30^10 ≈ 2^49 per code. They are stored only
 * as an HMAC keyed with the instance's email/code secret (domain-separated from email codes) and
 * bound to the user, so a stolen database alone reveals no code, and one user's code never
 * matches another's account. A check compares the guess with every unused code in constant time.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODES_PER_SET = 10;
export const ALPHABET = '23456789abcdefghjkmnpqrstvwxyz';
const GROUP = 5;

/** One code, `xxxxx-xxxxx`. */
export function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < GROUP * 2; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, GROUP)}-${s.slice(GROUP)}`;
}

/**
 * The canonical form of what a user typed: case, spaces and hyphens do not matter. Null when it
 * cannot be a code at all (wrong length or a letter outside the alphabet): not an attempt.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const bare = input.toLowerCase().replace(/[\s-]/g, '');
  if (bare.length !== GROUP * 2) return null;
  for (const ch of bare) if (!ALPHABET.includes(ch)) return null;
  return `${bare.slice(0, GROUP)}-${bare.slice(GROUP)}`;
}

export function recoveryCodeMac(secret: string, userId: string, code: string): string {
  return createHmac('sha256', secret).update(`recovery-code\0${userId}\0${code}`).digest('base64url');
}

/**
 * The id of the stored code that `code` matches, or null. Every candidate is compared, in
 * constant time, whether or not an earlier one matched: the answer's timing says nothing about
 * which code (or how much of one) was right.
 */
export function matchRecoveryCode(secret: string, userId: string, code: string, stored: { id: string; mac: string }[]): string | null {
  const guess = Buffer.from(recoveryCodeMac(secret, userId, code));
  let found: string | null = null;
  for (const row of stored) {
    const mac = Buffer.from(row.mac);
    if (mac.length === guess.length && timingSafeEqual(mac, guess) && found === null) found = row.id;
  }
  return found;
}
