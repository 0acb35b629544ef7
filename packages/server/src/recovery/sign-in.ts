/**
 * Sign-in with a recovery code (`attempt_first_factor` with `strategy=recovery_code`), after the
 * identifier step. It ends in a *limited* session: one that may read the profile and register a
 * new passkey, nothing else, until it has added one (clients/acting-session.ts; docs/recovery.md).
 *
 * No enumeration: an unknown identifier, a user without codes and a wrong code take the same
 * path (a read of "their" codes, a MAC, a comparison, a recorded failure) and answer alike.
 * Failures are counted per identifier and per IP in the database, so the limits hold across
 * server processes; the per-IP limit of every sign-in step (middleware/rate-limit) applies too.
 */
import { audit, auditEvent } from '../audit/index.js';
import { type Caller, newClientToken, requireClient } from '../clients/index.js';
import { type Answer, finish, readSnapshot, type SnapshotRows } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { fail, LatchkeyError } from '../errors/index.js';
import { newSession } from '../sessions/sessions.js';
import { refuseSecondSession } from '../sessions/single-session.js';
import * as auditEvents from '../store/audit-events.js';
import * as clients from '../store/clients.js';
import * as recoveryAttempts from '../store/recovery-attempts.js';
import * as recoveryCodes from '../store/recovery-codes.js';
import type { SignInRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import * as signIns from '../store/sign-ins.js';
import * as users from '../store/users.js';
import { normalizeIdentifier } from '../users/identifiers.js';
import { newId } from '../util/ids.js';
import { emitSession } from '../webhooks/events.js';
import { matchRecoveryCode, normalizeRecoveryCode } from './codes.js';
import { requireRecoveryCodes } from './settings.js';

/** Failed attempts allowed per identifier, and per IP, in a sliding window. */
export const ATTEMPT_WINDOW_MS = 3600_000;
export const MAX_FAILURES_PER_IDENTIFIER = 5;
export const MAX_FAILURES_PER_IP = 20;

/** Stands in for the user of an unknown identifier: no user has this id, so nothing matches. */
const NOBODY = 'user_';

type Outcome = { done: { result: SignInRow; rows: SnapshotRows; cookie: string } } | { error: LatchkeyError };

export async function attemptRecoveryCode(deps: Deps, caller: Caller, id: string, params: { code: string }, ip: string): Promise<Answer<SignInRow>> {
  const settings = await requireRecoveryCodes(deps);
  const client = requireClient(caller);
  // Not a guess at all: refused before anything is read or counted.
  const code = normalizeRecoveryCode(params.code);
  if (!code) throw fail('form_param_format_invalid', { param: 'code', why: 'A recovery code is ten letters and digits, like "abcde-23456".' });
  const now = deps.clock.now();

  // A wrong code commits (the failure counts) and its error is thrown after the commit.
  const outcome = await deps.store.db.transaction().execute(async (trx): Promise<Outcome> => {
    const signIn = await signIns.ofClient(trx, client.id, id);
    if (!signIn) throw fail('resource_not_found', { subject: 'sign-in' });
    if (signIn.status === 'complete') throw fail('sign_in_already_complete');
    if (!signIn.identifier) throw fail('form_param_missing', { param: 'identifier', why: 'Enter your username or email address before your recovery code.' });
    const subject = normalizeIdentifier(signIn.identifier);

    const failed = await recoveryAttempts.countSince(trx, { subject, ip, since: now - ATTEMPT_WINDOW_MS });
    if (failed.subject >= MAX_FAILURES_PER_IDENTIFIER || failed.ip >= MAX_FAILURES_PER_IP) {
      const oldest = failed.subject >= MAX_FAILURES_PER_IDENTIFIER ? failed.oldestSubject : failed.oldestIp;
      const retryAfter = Math.max(1, Math.ceil(((oldest ?? now) + ATTEMPT_WINDOW_MS - now) / 1000));
      throw fail('too_many_requests', { why: `Too many wrong recovery codes; try again in ${Math.ceil(retryAfter / 60)} minutes.`, retryAfter });
    }

    const userId = signIn.user_id ?? NOBODY;
    const stored = await recoveryCodes.unusedOfUser(trx, userId);
    const match = matchRecoveryCode(deps.email.secret, userId, code, stored);
    // Spent in one conditional update: of two attempts racing with the same code, one wins.
    if (!match || !(await recoveryCodes.markUsed(trx, match, now))) {
      // Failures older than the window no longer count: forgotten here, so the table stays small.
      await recoveryAttempts.removeBefore(trx, now - ATTEMPT_WINDOW_MS);
      await recoveryAttempts.insert(trx, { id: newId('rca'), subject, ip, created_at: now });
      const error = fail('form_code_incorrect', { param: 'code', why: 'That recovery code is not valid for this account, or it was used already.' });
      await audit(trx, now, 'sign_in.failed', { userId: signIn.user_id, clientId: client.id, data: { sign_in_id: id, strategy: 'recovery_code', reason: error.code }, ctx: caller });
      return { error };
    }
    const owner = signIn.user_id!;
    // Single-session mode applies as to any sign-in: no second account in a signed-in browser.
    await refuseSecondSession(trx, { clientId: client.id, now, settings });
    // Conditional on `banned = 0` (the same meeting point with a ban as a passkey sign-in).
    if (!(await users.markSignedIn(trx, owner, now))) return { error: fail('user_banned') };

    const { session, event } = newSession({ clientId: client.id, userId: owner, now, lifetimes: settings, ctx: caller });
    await sessions.insert(trx, session);
    await sessions.setLimited(trx, session.id, 1, now);
    const limited = { ...session, limited: 1 };
    const remaining = stored.length - 1;
    await auditEvents.appendAll(trx, [
      event,
      auditEvent(now, 'recovery_code.used', { userId: owner, clientId: client.id, data: { sign_in_id: id, session_id: session.id, remaining }, ctx: caller }),
      auditEvent(now, 'sign_in.completed', { userId: owner, clientId: client.id, data: { sign_in_id: id, session_id: session.id, strategy: 'recovery_code' }, ctx: caller }),
    ]);
    await emitSession(trx, now, 'session.created', limited);
    await signIns.complete(trx, { id, userId: owner, sessionId: session.id, strategy: 'recovery_code', now });
    // A new cookie token at every sign-in: no session fixation.
    const cookie = newClientToken();
    const rotated = await clients.rotateToken(trx, { id: client.id, tokenHash: cookie.hash, sessionId: session.id, now });
    const completed: SignInRow = { ...signIn, status: 'complete', user_id: owner, verification_status: 'verified', verification_strategy: 'recovery_code', created_session_id: session.id, updated_at: now };
    const rows = await readSnapshot(trx, { clientId: client.id, settings, now, known: { client: rotated, signIn: completed } });
    return { done: { result: completed, rows, cookie: cookie.token } };
  });
  if ('error' in outcome) throw outcome.error;
  return finish(deps, caller.azp, outcome.done, settings, now);
}
