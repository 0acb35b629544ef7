/**
 * Email verification at sign-up (`emailVerification: 'required'`), in Clerk's shapes:
 * `prepare_verification` with `strategy=email_code` emails a six-digit code, `attempt_verification`
 * with `code` checks it. A code is random, kept only as a MAC, lives 10 minutes, allows 5 attempts
 * and is used once; sending is limited per sign-up (a countdown), per address and per IP, so the
 * endpoint can be used neither to guess codes nor to flood someone's inbox.
 */
import { type Caller, requireClient } from '../clients/index.js';
import { type Answer, finish, readSnapshot, type SnapshotRows } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { CODE_TTL_MS, codeMac, codeMatches, MAX_CODE_ATTEMPTS, newCode } from '../email/codes.js';
import { enqueueEmail } from '../email/outbox.js';
import { fail, type LatchkeyError } from '../errors/index.js';
import { requirePasskeys } from '../passkeys/require-enabled.js';
import * as emailSends from '../store/email-sends.js';
import type { SignUpRow } from '../store/schema.js';
import * as signUps from '../store/sign-ups.js';
import type { Db } from '../store/types.js';
import { normalizeIdentifier } from '../users/identifiers.js';
import { newId } from '../util/ids.js';

/** The resend button's countdown: one code per sign-up per 30 seconds. */
export const RESEND_INTERVAL_MS = 30_000;
/** Codes per address, and per IP, in a sliding hour: enough for typos, too few to flood an inbox. */
export const SEND_WINDOW_MS = 3600_000;
export const MAX_SENDS_PER_ADDRESS = 5;
export const MAX_SENDS_PER_IP = 20;

async function openSignUp(db: Db, clientId: string, id: string): Promise<SignUpRow> {
  const row = await signUps.ofClient(db, clientId, id);
  if (!row) throw fail('resource_not_found', { subject: 'sign-up' });
  if (row.status === 'complete') throw fail('sign_up_already_complete');
  if (!row.email_address) throw fail('form_param_missing', { param: 'email_address', why: 'This sign-up has no email address to verify.' });
  // Null: the instance did not require verification when this sign-up began.
  if (row.email_verification_status === null) throw fail('form_param_format_invalid', { param: 'strategy', why: 'Email verification is off for this sign-up; use strategy "passkey".' });
  if (row.email_verification_status === 'verified') throw fail('verification_already_verified');
  return row;
}

const tooMany = (retryAfterMs: number, why: string): LatchkeyError =>
  fail('too_many_requests', { why, retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

export async function prepareSignUpEmailCode(deps: Deps, caller: Caller, id: string, ip: string): Promise<Answer<SignUpRow>> {
  const settings = await requirePasskeys(deps);
  const client = requireClient(caller);
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const signUp = await openSignUp(trx, client.id, id);
    if (signUp.email_code_sent_at !== null && now - signUp.email_code_sent_at < RESEND_INTERVAL_MS) {
      const wait = signUp.email_code_sent_at + RESEND_INTERVAL_MS - now;
      throw tooMany(wait, `A code was sent moments ago; you can request another in ${Math.ceil(wait / 1000)} seconds.`);
    }
    const address = normalizeIdentifier(signUp.email_address!);
    const sent = await emailSends.countSince(trx, { address, ip, since: now - SEND_WINDOW_MS });
    if (sent.address >= MAX_SENDS_PER_ADDRESS) throw tooMany(SEND_WINDOW_MS, 'Too many codes were sent to this address; try again later.');
    if (sent.ip >= MAX_SENDS_PER_IP) throw tooMany(SEND_WINDOW_MS, 'Too many codes were requested from this network; try again later.');

    const code = newCode();
    const expireAt = now + CODE_TTL_MS;
    await signUps.startEmailCode(trx, signUp.id, { mac: codeMac(deps.email.secret, signUp.id, code), expireAt, now });
    await emailSends.insert(trx, { id: newId('esd'), address, ip, created_at: now });
    // In the same transaction: the email exists exactly when the code does.
    await enqueueEmail(trx, now, deps.email.secret, signUp.email_address!, { template: 'sign_up_code', code, expiresInMinutes: CODE_TTL_MS / 60_000 });
    const updated: SignUpRow = {
      ...signUp,
      email_code_mac: null, // never leaves the flow
      email_verification_status: 'unverified',
      email_verification_attempts: 0,
      email_verification_expire_at: expireAt,
      email_code_sent_at: now,
      updated_at: now,
    };
    return { result: updated, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  return finish(deps, caller.azp, done, settings, now);
}

type Outcome = { done: { result: SignUpRow; rows: SnapshotRows } } | { error: LatchkeyError };

export async function attemptSignUpEmailCode(deps: Deps, caller: Caller, id: string, params: { code: string }): Promise<Answer<SignUpRow>> {
  const settings = await requirePasskeys(deps);
  const client = requireClient(caller);
  // Not a guess at all: refused without spending an attempt.
  if (!/^\d{6}$/.test(params.code)) throw fail('form_param_format_invalid', { param: 'code', why: 'The code is the six digits from the email.' });
  const now = deps.clock.now();
  // A wrong guess must count even though it answers an error: the transaction commits it, then
  // the error is thrown outside.
  const outcome = await deps.store.db.transaction().execute(async (trx): Promise<Outcome> => {
    const taken = await signUps.takeEmailAttempt(trx, { id, clientId: client.id, now, maxAttempts: MAX_CODE_ATTEMPTS });
    if (!taken) {
      const row = await openSignUp(trx, client.id, id);
      if (row.email_verification_status === 'failed' || row.email_verification_attempts >= MAX_CODE_ATTEMPTS) {
        if (row.email_verification_status === 'unverified') await signUps.settleEmailCode(trx, row.id, 'failed', now);
        return { error: fail('verification_failed') };
      }
      if (row.email_code_mac !== null && row.email_verification_status === 'unverified') await signUps.settleEmailCode(trx, row.id, 'expired', now);
      return {
        error: fail('verification_expired', {
          why: row.email_code_sent_at === null ? 'No code has been sent for this sign-up; request one first.' : 'This code has expired; request a new one.',
        }),
      };
    }
    if (!codeMatches(deps.email.secret, taken.id, params.code, taken.email_code_mac!)) {
      if (taken.email_verification_attempts >= MAX_CODE_ATTEMPTS) await signUps.settleEmailCode(trx, taken.id, 'failed', now);
      return { error: fail('form_code_incorrect', { param: 'code' }) };
    }
    await signUps.settleEmailCode(trx, taken.id, 'verified', now);
    const result: SignUpRow = { ...taken, email_code_mac: null, email_verification_status: 'verified', updated_at: now };
    return { done: { result, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) } };
  });
  if ('error' in outcome) throw outcome.error;
  return finish(deps, caller.azp, outcome.done, settings, now);
}
