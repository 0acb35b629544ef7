/**
 * Email-code sign-in (setting `emailCodeSignIn`), in Clerk's shapes: the sign-in lists
 * `{ strategy: "email_code", safe_identifier, email_address_id }` among its first factors;
 * `prepare_first_factor` with `strategy=email_code` emails a six-digit code, and
 * `attempt_first_factor` with `code` checks it and creates the session.
 *
 * The code machinery is the sign-up's (email/codes.ts, sign-up/email-code.ts): random, kept only
 * as a MAC bound to this sign-in and address, 10 minutes, 5 attempts, single use, a resend
 * countdown per sign-in and limits per address and per IP. No enumeration: an identifier without
 * a verified address was offered a decoy factor (email-factor.ts); preparing it answers exactly as
 * a real one — the same row changes, the same send is counted, an outbox message is written —
 * and the outbox drops that message unsent.
 */
import { audit } from '../audit/index.js';
import { type Caller, newClientToken, requireClient } from '../clients/index.js';
import { type Answer, finish, readSnapshot, type SnapshotRows } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { CODE_TTL_MS, codeMac, codeMatches, MAX_CODE_ATTEMPTS, newCode } from '../email/codes.js';
import { signInFromNewDevice } from '../email/notices.js';
import { enqueueEmail } from '../email/outbox.js';
import { fail, LatchkeyError } from '../errors/index.js';
import { requirePasskeys } from '../passkeys/require-enabled.js';
import { createSession } from '../sessions/sessions.js';
import type { InstanceSettings } from '../settings/index.js';
import { MAX_SENDS_PER_ADDRESS, MAX_SENDS_PER_IP, RESEND_INTERVAL_MS, SEND_WINDOW_MS } from '../sign-up/email-code.js';
import * as clients from '../store/clients.js';
import * as emailSends from '../store/email-sends.js';
import * as identifiers from '../store/identifiers.js';
import type { SignInRow } from '../store/schema.js';
import * as signIns from '../store/sign-ins.js';
import * as users from '../store/users.js';
import type { Db } from '../store/types.js';
import { normalizeIdentifier } from '../users/identifiers.js';
import { newId } from '../util/ids.js';
import { randomBase64url } from '../util/random.js';

async function requireEmailCodeSignIn(deps: Deps): Promise<InstanceSettings> {
  const settings = await requirePasskeys(deps);
  if (!settings.emailCodeSignIn) throw fail('feature_not_enabled', { why: 'Email-code sign-in is not enabled on this instance.' });
  return settings;
}

/** The sign-in, open and offering an email factor (real or decoy: the checks cannot tell). */
async function openSignIn(db: Db, clientId: string, id: string): Promise<SignInRow> {
  const row = await signIns.ofClient(db, clientId, id);
  if (!row) throw fail('resource_not_found', { subject: 'sign-in' });
  if (row.status === 'complete') throw fail('sign_in_already_complete');
  if (row.status === 'needs_identifier') throw fail('form_param_missing', { param: 'identifier' });
  if (row.email_address_id === null) {
    throw fail('form_param_format_invalid', { param: 'strategy', why: 'This sign-in offers no email code; use strategy "passkey".' });
  }
  return row;
}

/** The subject inside a code's MAC: this sign-in and this address, so no other's code matches. */
const subjectOf = (signIn: SignInRow) => `${signIn.id}:${signIn.email_address_id}`;

const tooMany = (retryAfterMs: number, why: string): LatchkeyError =>
  fail('too_many_requests', { why, retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

export async function prepareEmailCodeFirstFactor(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { email_address_id?: string | undefined },
  ip: string,
): Promise<Answer<SignInRow>> {
  const settings = await requireEmailCodeSignIn(deps);
  const client = requireClient(caller);
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const signIn = await openSignIn(trx, client.id, id);
    if (params.email_address_id !== undefined && params.email_address_id !== signIn.email_address_id) {
      throw fail('form_param_format_invalid', { param: 'email_address_id', why: 'Use the email_address_id of the email_code factor this sign-in lists.' });
    }
    if (signIn.verification_strategy === 'email_code' && signIn.email_code_sent_at !== null && now - signIn.email_code_sent_at < RESEND_INTERVAL_MS) {
      const wait = signIn.email_code_sent_at + RESEND_INTERVAL_MS - now;
      throw tooMany(wait, `A code was sent moments ago; you can request another in ${Math.ceil(wait / 1000)} seconds.`);
    }
    // Real only while the address is still this user's and verified; otherwise a decoy.
    const email = await identifiers.verifiedEmailById(trx, signIn.user_id ?? 'user_', signIn.email_address_id!);
    // The limits count decoy sends too, under the typed address (or username): an unknown
    // address reaches the limit exactly when a known one would.
    const typed = normalizeIdentifier(signIn.identifier ?? '');
    const address = email ? normalizeIdentifier(email.value) : typed.includes('@') ? typed : `decoy:${typed}`;
    const sent = await emailSends.countSince(trx, { address, ip, since: now - SEND_WINDOW_MS });
    if (sent.address >= MAX_SENDS_PER_ADDRESS) throw tooMany(SEND_WINDOW_MS, 'Too many codes were sent to this address; try again later.');
    if (sent.ip >= MAX_SENDS_PER_IP) throw tooMany(SEND_WINDOW_MS, 'Too many codes were requested from this network; try again later.');

    // A decoy stores the MAC of a value that is not six digits: no code can ever match it.
    const code = email ? newCode() : `decoy-${randomBase64url(12)}`;
    const expireAt = now + CODE_TTL_MS;
    await signIns.startEmailCode(trx, signIn.id, { mac: codeMac(deps.email.secret, subjectOf(signIn), code), expireAt, now });
    await emailSends.insert(trx, { id: newId('esd'), address, ip, created_at: now });
    // In the same transaction: the email exists exactly when the code does. A decoy writes a
    // message too — the same statements, so the same cost — that the outbox drops unsent.
    if (email) await enqueueEmail(trx, now, deps.email.secret, email.value, { template: 'sign_in_code', code, expiresInMinutes: CODE_TTL_MS / 60_000 });
    else await enqueueEmail(trx, now, deps.email.secret, '', { template: 'decoy' });
    const updated: SignInRow = {
      ...signIn,
      verification_strategy: 'email_code',
      verification_status: 'unverified',
      verification_challenge: null,
      verification_nonce: null,
      verification_attempts: 0,
      verification_expire_at: expireAt,
      email_code_mac: null, // never leaves the flow
      email_code_sent_at: now,
      updated_at: now,
    };
    return { result: updated, rows: await readSnapshot(trx, { clientId: client.id, settings, now, known: { signIn: updated } }) };
  });
  return finish(deps, caller.azp, done, settings, now);
}

type Outcome = { done: { result: SignInRow; rows: SnapshotRows; cookie: string } } | { error: LatchkeyError };

export async function attemptEmailCodeFirstFactor(deps: Deps, caller: Caller, id: string, params: { code: string }): Promise<Answer<SignInRow>> {
  const settings = await requireEmailCodeSignIn(deps);
  const client = requireClient(caller);
  // Not a guess at all: refused without spending an attempt.
  if (!/^\d{6}$/.test(params.code)) throw fail('form_param_format_invalid', { param: 'code', why: 'The code is the six digits from the email.' });
  const now = deps.clock.now();
  // A wrong guess must count even though it answers an error: the transaction commits it (and
  // its audit event), then the error is thrown outside.
  const outcome = await deps.store.db.transaction().execute(async (trx): Promise<Outcome> => {
    const outcome = await attemptIn(trx);
    if ('error' in outcome) {
      await audit(trx, now, 'sign_in.failed', { clientId: client.id, data: { sign_in_id: id, strategy: 'email_code', reason: outcome.error.code }, ctx: caller });
    }
    return outcome;
  });
  if ('error' in outcome) throw outcome.error;
  return finish(deps, caller.azp, outcome.done, settings, now);

  async function attemptIn(trx: Db): Promise<Outcome> {
    const taken = await signIns.takeEmailAttempt(trx, { id, clientId: client.id, now, maxAttempts: MAX_CODE_ATTEMPTS });
    if (!taken) return { error: await noAttempt(trx, client.id, id, now) };
    if (!codeMatches(deps.email.secret, subjectOf(taken), params.code, taken.email_code_mac!)) {
      if (taken.verification_attempts >= MAX_CODE_ATTEMPTS) await signIns.settleEmailCode(trx, taken.id, 'failed', now);
      return { error: fail('form_code_incorrect', { param: 'code' }) };
    }
    // Only a real factor's code can match; the address must still be the user's, verified.
    const userId = taken.user_id!;
    if (!(await identifiers.verifiedEmailById(trx, userId, taken.email_address_id!))) {
      await signIns.settleEmailCode(trx, taken.id, 'expired', now);
      return { error: fail('verification_expired', { why: 'This email address is no longer verified on the account; sign in another way.' }) };
    }
    // Conditional on `banned = 0`, taking the user row's lock, as the passkey completion does.
    if (!(await users.markSignedIn(trx, userId, now))) {
      await signIns.settleEmailCode(trx, taken.id, 'failed', now);
      return { error: fail('user_banned') };
    }
    const session = await createSession(trx, { clientId: client.id, userId, now, lifetimes: settings, ctx: caller });
    await signIns.complete(trx, { id: taken.id, userId, sessionId: session.id, strategy: 'email_code', now });
    const cookie = newClientToken(); // a new cookie token: no session fixation
    const rotated = await clients.rotateToken(trx, { id: client.id, tokenHash: cookie.hash, sessionId: session.id, now });
    await audit(trx, now, 'sign_in.completed', { userId, clientId: client.id, data: { sign_in_id: taken.id, session_id: session.id, strategy: 'email_code' }, ctx: caller });
    if (settings.newDeviceNotice) await signInFromNewDevice(deps, trx, { userId, clientId: client.id, session: session.id, userAgent: caller.userAgent, now });
    const completed: SignInRow = { ...taken, status: 'complete', verification_status: 'verified', email_code_mac: null, created_session_id: session.id, updated_at: now };
    const rows = await readSnapshot(trx, { clientId: client.id, settings, now, known: { client: rotated, signIn: completed } });
    return { done: { result: completed, rows, cookie: cookie.token } };
  }
}

/** Why no attempt could be taken: no such sign-in, finished, no code, spent, failed or expired. */
async function noAttempt(db: Db, clientId: string, id: string, now: number): Promise<LatchkeyError> {
  let signIn: SignInRow;
  try {
    signIn = await openSignIn(db, clientId, id);
  } catch (err) {
    if (err instanceof LatchkeyError) return err;
    throw err;
  }
  if (signIn.verification_strategy !== 'email_code' || signIn.email_code_sent_at === null) {
    return fail('verification_expired', { why: 'No code has been sent for this sign-in; request one first.' });
  }
  if (signIn.verification_status === 'failed' || signIn.verification_attempts >= MAX_CODE_ATTEMPTS) {
    if (signIn.verification_status === 'unverified') await signIns.settleEmailCode(db, signIn.id, 'failed', now);
    return fail('verification_failed');
  }
  if (signIn.verification_status === 'unverified') await signIns.settleEmailCode(db, signIn.id, 'expired', now);
  return fail('verification_expired', { why: 'This code has expired; request a new one.' });
}
