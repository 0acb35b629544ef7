/**
 * The `sign_ups` table: a passkey-first sign-up (username and/or email), with its passkey
 * verification and the future user's WebAuthn handle in the same row.
 */
import type { SignUpRow } from './schema.js';
import type { VerificationStart } from './sign-ins.js';
import type { Db } from './types.js';

export async function insert(db: Db, row: SignUpRow): Promise<void> {
  await db.insertInto('sign_ups').values(row).execute();
}

export function byId(db: Db, id: string): Promise<SignUpRow | undefined> {
  return db.selectFrom('sign_ups').selectAll().where('id', '=', id).executeTakeFirst();
}

export function ofClient(db: Db, clientId: string, id: string): Promise<SignUpRow | undefined> {
  return db.selectFrom('sign_ups').selectAll().where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst();
}

export async function startVerification(db: Db, id: string, v: VerificationStart & { user_handle: string }, now: number): Promise<void> {
  await db.updateTable('sign_ups').set({ ...v, updated_at: now }).where('id', '=', id).execute();
}

/** Single use, as sign-ins' takeChallenge: one conditional UPDATE out of `unverified`. */
export function takeChallenge(db: Db, o: { id: string; clientId: string; now: number }): Promise<SignUpRow | undefined> {
  return db
    .updateTable('sign_ups')
    .set((eb) => ({ verification_status: 'failed', verification_attempts: eb('verification_attempts', '+', 1), updated_at: o.now }))
    .where('id', '=', o.id)
    .where('client_id', '=', o.clientId)
    .where('status', '!=', 'complete')
    .where('verification_status', '=', 'unverified')
    .where('verification_expire_at', '>', o.now)
    .returningAll()
    .executeTakeFirst();
}

export async function expireVerification(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('sign_ups')
    .set((eb) => ({ verification_status: 'expired', verification_attempts: eb('verification_attempts', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('verification_status', '=', 'unverified')
    .execute();
}

export async function complete(db: Db, o: { id: string; userId: string; sessionId: string; now: number }): Promise<void> {
  await db
    .updateTable('sign_ups')
    .set({ status: 'complete', verification_status: 'verified', created_session_id: o.sessionId, created_user_id: o.userId, updated_at: o.now })
    .where('id', '=', o.id)
    .execute();
}

/** Deletes up to `limit` sign-ups abandoned before `before` (finished ones too: history); returns the count. */
export async function removeAbandoned(db: Db, before: number, limit: number): Promise<number> {
  const ids = db.selectFrom('sign_ups').select('id').where('abandon_at', '<', before).limit(limit);
  return Number((await db.deleteFrom('sign_ups').where('id', 'in', ids).executeTakeFirst()).numDeletedRows);
}
