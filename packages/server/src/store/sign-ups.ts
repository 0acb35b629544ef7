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

/** A new email code replaces any earlier one: its MAC, a fresh attempt count and expiry. */
export async function startEmailCode(db: Db, id: string, o: { mac: string; expireAt: number; now: number }): Promise<void> {
  await db
    .updateTable('sign_ups')
    .set({
      email_code_mac: o.mac,
      email_verification_status: 'unverified',
      email_verification_attempts: 0,
      email_verification_expire_at: o.expireAt,
      email_code_sent_at: o.now,
      updated_at: o.now,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Counts one attempt at the email code, in one conditional UPDATE: only while a code is live
 * (unverified, unexpired, under `maxAttempts`). Concurrent guesses each take their own attempt, so
 * no burst of parallel requests gets more than `maxAttempts` tries. Undefined: no attempt allowed.
 */
export function takeEmailAttempt(db: Db, o: { id: string; clientId: string; now: number; maxAttempts: number }): Promise<SignUpRow | undefined> {
  return db
    .updateTable('sign_ups')
    .set((eb) => ({ email_verification_attempts: eb('email_verification_attempts', '+', 1), updated_at: o.now }))
    .where('id', '=', o.id)
    .where('client_id', '=', o.clientId)
    .where('status', '!=', 'complete')
    .where('email_verification_status', '=', 'unverified')
    .where('email_code_mac', 'is not', null)
    .where('email_verification_expire_at', '>', o.now)
    .where('email_verification_attempts', '<', o.maxAttempts)
    .returningAll()
    .executeTakeFirst();
}

/** Ends the code: verified (the MAC is dropped: single use), failed (attempts spent) or expired. */
export async function settleEmailCode(db: Db, id: string, status: 'verified' | 'failed' | 'expired', now: number): Promise<void> {
  await db.updateTable('sign_ups').set({ email_verification_status: status, email_code_mac: null, updated_at: now }).where('id', '=', id).execute();
}
