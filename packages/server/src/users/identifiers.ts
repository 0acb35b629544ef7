/**
 * Identifier rules: what a valid username or email address is, and how they compare
 * (case-insensitively, by a lower-cased `normalized` column under a unique index).
 */
import { fail, type LatchkeyError } from '../errors/index.js';
import * as identifiers from '../store/identifiers.js';
import type { Db } from '../store/types.js';
import { isCleanText } from '../util/text.js';

export type IdentifierType = 'email_address' | 'username';

const USERNAME = /^[a-zA-Z0-9_.-]{3,64}$/;
// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not our check.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export function normalizeIdentifier(value: string): string {
  return value.trim().toLowerCase();
}

export function identifierType(value: string): IdentifierType {
  return value.includes('@') ? 'email_address' : 'username';
}

export function validateUsername(value: string): string {
  const v = value.trim();
  if (!USERNAME.test(v)) {
    throw fail('form_param_format_invalid', { param: 'username', why: 'Usernames are 3–64 characters: letters, digits, "_", "." and "-".' });
  }
  return v;
}

export function validateEmail(value: string): string {
  const v = value.trim();
  // The pattern alone would take control characters (`[^\s@]`): util/text.ts refuses them.
  if (v.length > 254 || !EMAIL.test(v) || !isCleanText(v)) throw fail('form_param_format_invalid', { param: 'email_address', why: 'Enter a valid email address.' });
  return v;
}

export function identifierExists(param: IdentifierType): LatchkeyError {
  const what = param === 'username' ? 'username' : 'email address';
  return fail('form_identifier_exists', { param, why: `That ${what} is taken. Please try another.` });
}

export function findUserIdByIdentifier(db: Db, value: string): Promise<string | null> {
  return identifiers.userIdOf(db, identifierType(value), normalizeIdentifier(value));
}
