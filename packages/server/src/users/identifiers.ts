/**
 * Identifier rules: what a valid username or email address is, and how they compare
 * (case-insensitively, by a lower-cased `normalized` column under a unique index).
 */
import type { Kysely, Transaction } from 'kysely';
import { errors, LatchkeyError } from '../errors/index.js';
import type { Database } from '../store/schema.js';

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
    throw errors.paramInvalid('username', 'Usernames are 3–64 characters: letters, digits, "_", "." and "-".');
  }
  return v;
}

export function validateEmail(value: string): string {
  const v = value.trim();
  if (v.length > 254 || !EMAIL.test(v)) throw errors.paramInvalid('email_address', 'Enter a valid email address.');
  return v;
}

export function identifierExists(param: IdentifierType): LatchkeyError {
  const what = param === 'username' ? 'username' : 'email address';
  return new LatchkeyError('form_identifier_exists', 422, `That ${what} is taken.`, `That ${what} is taken. Please try another.`, {
    param_name: param,
  });
}

export async function findUserIdByIdentifier(
  db: Kysely<Database> | Transaction<Database>,
  value: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('identifiers')
    .select('user_id')
    .where('type', '=', identifierType(value))
    .where('normalized', '=', normalizeIdentifier(value))
    .executeTakeFirst();
  return row?.user_id ?? null;
}
