/**
 * The `sign_ins` table: one attempt to sign in, with its passkey verification in the same row
 * (see VerificationColumns) — a fresh discoverable sign-in is written once.
 */
import { prepared } from './prepared.js';
import type { SignInRow, SignInStrategy, VerificationColumns } from './schema.js';
import type { Db } from './types.js';

export type VerificationStart = Pick<VerificationColumns, 'verification_status' | 'verification_challenge' | 'verification_nonce' | 'verification_expire_at'>;

/** A new sign-in's columns as placeholders: also the second INSERT of store/sign-in-start.ts. */
export function insertValues(p: <K extends keyof SignInRow & string>(name: K) => SignInRow[K]) {
  return {
    id: p('id'),
    client_id: p('client_id'),
    status: p('status'),
    identifier: p('identifier'),
    user_id: p('user_id'),
    verification_strategy: p('verification_strategy'),
    email_address_id: p('email_address_id'),
    safe_identifier: p('safe_identifier'),
    verification_status: p('verification_status'),
    verification_challenge: p('verification_challenge'),
    verification_nonce: p('verification_nonce'),
    verification_attempts: p('verification_attempts'),
    verification_expire_at: p('verification_expire_at'),
    created_session_id: p('created_session_id'),
    created_at: p('created_at'),
    updated_at: p('updated_at'),
    abandon_at: p('abandon_at'),
  };
}

const insertQuery = prepared<SignInRow>((db, p) => db.insertInto('sign_ins').values(insertValues(p)));
const ofClientQuery = prepared<{ id: string; clientId: string }, SignInRow>((db, p) =>
  db.selectFrom('sign_ins').selectAll().where('id', '=', p('id')).where('client_id', '=', p('clientId')),
);
const byIdQuery = prepared<{ id: string }, SignInRow>((db, p) => db.selectFrom('sign_ins').selectAll().where('id', '=', p('id')));
/**
 * Takes the pending challenge: the verification leaves `unverified` in this one conditional
 * UPDATE, so of concurrent attempts exactly one gets it, and a failed attempt cannot retry with it.
 * It stays `failed` unless the attempt then succeeds.
 */
const takeChallengeQuery = prepared<{ id: string; clientId: string; now: number }, SignInRow>((db, p) =>
  db
    .updateTable('sign_ins')
    .set((eb) => ({ verification_status: 'failed', verification_attempts: eb('verification_attempts', '+', 1), updated_at: p('now') }))
    .where('id', '=', p('id'))
    .where('client_id', '=', p('clientId'))
    .where('status', '!=', 'complete')
    .where('verification_status', '=', 'unverified')
    // An emailed code's verification is never a passkey challenge (sign-in/email-code.ts).
    .where('verification_strategy', '=', 'passkey')
    .where('verification_expire_at', '>', p('now'))
    .returningAll(),
);
const completeQuery = prepared<{ id: string; userId: string; sessionId: string; strategy: SignInStrategy; now: number }>((db, p) =>
  db
    .updateTable('sign_ins')
    .set({ status: 'complete', user_id: p('userId'), verification_status: 'verified', verification_strategy: p('strategy'), email_code_mac: null, created_session_id: p('sessionId'), updated_at: p('now') })
    .where('id', '=', p('id')),
);

export async function insert(db: Db, row: SignInRow): Promise<void> {
  await insertQuery.run(db, row);
}

export function byId(db: Db, id: string): Promise<SignInRow | undefined> {
  return byIdQuery.first(db, { id });
}

/** The sign-in, if it belongs to this client (another browser's sign-in is "not found"). */
export function ofClient(db: Db, clientId: string, id: string): Promise<SignInRow | undefined> {
  return ofClientQuery.first(db, { id, clientId });
}

/** A new challenge replaces the old one (an emailed code too). */
export async function startVerification(db: Db, id: string, v: VerificationStart, now: number): Promise<void> {
  await db.updateTable('sign_ins').set({ ...v, verification_strategy: 'passkey', email_code_mac: null, updated_at: now }).where('id', '=', id).execute();
}

/** An emailed code becomes the sign-in's verification, replacing any earlier one (or a passkey challenge). */
export async function startEmailCode(db: Db, id: string, o: { mac: string; expireAt: number; now: number }): Promise<void> {
  await db
    .updateTable('sign_ins')
    .set({
      verification_strategy: 'email_code',
      verification_status: 'unverified',
      verification_challenge: null,
      verification_nonce: null,
      verification_attempts: 0,
      verification_expire_at: o.expireAt,
      email_code_mac: o.mac,
      email_code_sent_at: o.now,
      updated_at: o.now,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Counts one attempt at the emailed code in one conditional UPDATE: only while a code is live,
 * unexpired and under the attempt limit, so parallel guesses cannot exceed it. The row as counted,
 * or undefined when there was no attempt to take.
 */
export function takeEmailAttempt(db: Db, o: { id: string; clientId: string; now: number; maxAttempts: number }): Promise<SignInRow | undefined> {
  return db
    .updateTable('sign_ins')
    .set((eb) => ({ verification_attempts: eb('verification_attempts', '+', 1), updated_at: o.now }))
    .where('id', '=', o.id)
    .where('client_id', '=', o.clientId)
    .where('status', '!=', 'complete')
    .where('verification_strategy', '=', 'email_code')
    .where('verification_status', '=', 'unverified')
    .where('email_code_mac', 'is not', null)
    .where('verification_expire_at', '>', o.now)
    .where('verification_attempts', '<', o.maxAttempts)
    .returningAll()
    .executeTakeFirst();
}

/** Ends the emailed code (failed or expired): it can no longer be used. */
export async function settleEmailCode(db: Db, id: string, status: 'failed' | 'expired', now: number): Promise<void> {
  await db
    .updateTable('sign_ins')
    .set({ verification_status: status, email_code_mac: null, updated_at: now })
    .where('id', '=', id)
    .where('verification_strategy', '=', 'email_code')
    .where('verification_status', '=', 'unverified')
    .execute();
}

export function takeChallenge(db: Db, o: { id: string; clientId: string; now: number }): Promise<SignInRow | undefined> {
  return takeChallengeQuery.first(db, o);
}

/** A pending verification past its deadline: say so, counting the attempt. */
export async function expireVerification(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('sign_ins')
    .set((eb) => ({ verification_status: 'expired', verification_attempts: eb('verification_attempts', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .where('verification_status', '=', 'unverified')
    .execute();
}

/** Marks the sign-in complete, recording the factor (`strategy`) that completed it. */
export async function complete(db: Db, o: { id: string; userId: string; sessionId: string; strategy: SignInStrategy; now: number }): Promise<void> {
  await completeQuery.run(db, o);
}

/** Deletes up to `limit` sign-ins abandoned before `before` (finished ones too: history); returns the count. */
export async function removeAbandoned(db: Db, before: number, limit: number): Promise<number> {
  const ids = db.selectFrom('sign_ins').select('id').where('abandon_at', '<', before).limit(limit);
  return Number((await db.deleteFrom('sign_ins').where('id', 'in', ids).executeTakeFirst()).numDeletedRows);
}
