/**
 * One-time email codes: six random digits from the CSPRNG, stored only as an HMAC. The key is a
 * per-instance secret, so a stolen database alone does not reveal codes (a six-digit SHA-256
 * would fall to a million guesses); the subject (the sign-up's id) is inside the MAC, so a code
 * sent for one sign-up is worthless in another even if it happens to be the same six digits.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function codeMac(secret: string, subjectId: string, code: string): string {
  return createHmac('sha256', secret).update(`email-code\0${subjectId}\0${code}`).digest('base64url');
}

/** Compares in constant time, so the answer's timing tells nothing about how close a guess was. */
export function codeMatches(secret: string, subjectId: string, code: string, storedMac: string): boolean {
  const a = Buffer.from(codeMac(secret, subjectId, code));
  const b = Buffer.from(storedMac);
  return a.length === b.length && timingSafeEqual(a, b);
}
