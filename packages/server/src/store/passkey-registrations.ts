/**
 * The `passkey_registrations` table: a passkey a signed-in user is adding. The row is its
 * verification until the attestation verifies; then the passkey is stored under the same id and
 * the row removed, in one transaction.
 */
import type { PasskeyRegistrationRow } from './schema.js';
import type { Db } from './types.js';

export async function insert(db: Db, row: PasskeyRegistrationRow): Promise<void> {
  await db.insertInto('passkey_registrations').values(row).execute();
}

/** Registrations whose ceremony ended before `before` (abandoned attempts). */
export async function removeExpired(db: Db, before: number): Promise<void> {
  await db.deleteFrom('passkey_registrations').where('verification_expire_at', '<', before).execute();
}

/** Single use, as sign-ins' takeChallenge: one conditional UPDATE out of `unverified`. */
export function takeChallenge(db: Db, o: { id: string; clientId: string; now: number }): Promise<PasskeyRegistrationRow | undefined> {
  return db
    .updateTable('passkey_registrations')
    .set((eb) => ({ verification_status: 'failed', verification_attempts: eb('verification_attempts', '+', 1) }))
    .where('id', '=', o.id)
    .where('client_id', '=', o.clientId)
    .where('verification_status', '=', 'unverified')
    .where('verification_expire_at', '>', o.now)
    .returningAll()
    .executeTakeFirst();
}

export async function remove(db: Db, id: string): Promise<void> {
  await db.deleteFrom('passkey_registrations').where('id', '=', id).execute();
}

/** Drops a user's pending registration (the browser gave up); true if there was one. */
export async function removeOfUser(db: Db, userId: string, id: string): Promise<boolean> {
  const r = await db.deleteFrom('passkey_registrations').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Deletes up to `limit` registrations whose ceremony ended before `before`; returns the count. */
export async function removeExpiredBatch(db: Db, before: number, limit: number): Promise<number> {
  const ids = db.selectFrom('passkey_registrations').select('id').where('verification_expire_at', '<', before).limit(limit);
  return Number((await db.deleteFrom('passkey_registrations').where('id', 'in', ids).executeTakeFirst()).numDeletedRows);
}
