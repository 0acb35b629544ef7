/**
 * Passkey-first sign-up: username and/or email, then a passkey. Nothing about the user exists
 * until the passkey verifies; then user, identifiers, passkey and session are written in the
 * transaction that took the challenge, so a failure leaves no half-made account.
 */
import { audit } from '../audit/index.js';
import { type Caller, clientOrNew, requireClient, rotateClientToken } from '../clients/index.js';
import { type Answer, finish, readSnapshot, type SnapshotRows } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { policyFor } from '../domains/index.js';
import { fail } from '../errors/index.js';
import { insertPasskey, verifyAttestation } from '../passkeys/register.js';
import { requirePasskeys } from '../passkeys/require-enabled.js';
import { createSession } from '../sessions/sessions.js';
import { refuseSecondSession } from '../sessions/single-session.js';
import * as clients from '../store/clients.js';
import * as identifiers from '../store/identifiers.js';
import type { IdentifierRow, SignUpRow, UserRow } from '../store/schema.js';
import * as signUps from '../store/sign-ups.js';
import type { Db } from '../store/types.js';
import * as users from '../store/users.js';
import { findUserIdByIdentifier, identifierExists, normalizeIdentifier, validateEmail, validateUsername } from '../users/identifiers.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import { randomBase64url } from '../util/random.js';
import { emitUser } from '../webhooks/events.js';
import { creationOptions, newChallenge } from '../webauthn/options.js';
import { pendingVerification } from '../webauthn/verification.js';

const ABANDON_MS = 24 * 3600 * 1000;

async function openSignUp(db: Db, clientId: string, id: string): Promise<SignUpRow> {
  const row = await signUps.ofClient(db, clientId, id);
  if (!row) throw fail('resource_not_found', { subject: 'sign-up' });
  if (row.status === 'complete') throw fail('sign_up_already_complete');
  return row;
}

/** Where the instance required it when the sign-up began, its email is verified before its passkey. */
function emailUnverified(signUp: SignUpRow): boolean {
  return signUp.email_verification_status !== null && signUp.email_verification_status !== 'verified';
}

export async function createSignUp(deps: Deps, caller: Caller, params: { username?: string; email_address?: string }): Promise<Answer<SignUpRow>> {
  const settings = await requirePasskeys(deps);
  // Single-session mode: no second account in a signed-in browser (checked before the form's fields).
  await refuseSecondSession(deps.store.db, { clientId: caller.client?.id ?? null, now: deps.clock.now(), settings });
  const username = params.username ? validateUsername(params.username) : null;
  const email = params.email_address ? validateEmail(params.email_address) : null;
  if (!username && !email) throw fail('form_param_missing', { param: 'username' });
  const db = deps.store.db;
  if (username && (await findUserIdByIdentifier(db, username))) throw identifierExists('username');
  if (email && (await findUserIdByIdentifier(db, email))) throw identifierExists('email_address');
  const now = deps.clock.now();
  const done = await db.transaction().execute(async (trx) => {
    const { client, cookie } = await clientOrNew(trx, caller, now);
    const row: SignUpRow = {
      id: newId('sua'),
      client_id: client.id,
      status: 'missing_requirements',
      username,
      email_address: email,
      user_handle: null,
      verification_status: null,
      verification_challenge: null,
      verification_nonce: null,
      verification_attempts: 0,
      verification_expire_at: null,
      email_code_mac: null,
      // Decided now, so a setting changed mid-sign-up does not strand or skip this one.
      email_verification_status: email && settings.emailVerification === 'required' ? 'unverified' : null,
      email_verification_attempts: 0,
      email_verification_expire_at: null,
      email_code_sent_at: null,
      created_session_id: null,
      created_user_id: null,
      created_at: now,
      updated_at: now,
      abandon_at: now + ABANDON_MS,
    };
    await signUps.insert(trx, row);
    await clients.pointAtSignUp(trx, client.id, row.id, now);
    const rows = await readSnapshot(trx, { clientId: client.id, settings, now, ...(cookie ? { known: { sessions: [] } } : {}) });
    return { result: row, rows, ...(cookie ? { cookie } : {}) };
  });
  return finish(deps, caller.azp, done, settings, now);
}

export async function prepareSignUpVerification(deps: Deps, caller: Caller, id: string, params: { strategy: string }): Promise<Answer<SignUpRow>> {
  const settings = await requirePasskeys(deps, params.strategy);
  const client = requireClient(caller);
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const signUp = await openSignUp(trx, client.id, id);
    if (emailUnverified(signUp)) throw fail('email_address_unverified', { param: 'email_address' });
    // The future user's WebAuthn handle: random, no personal data (§14.6.1).
    const userHandle = randomBase64url(32);
    const name = signUp.username ?? signUp.email_address ?? 'user';
    const options = creationOptions({
      challenge: newChallenge(),
      rpId: policyFor(settings, deps.config.mode).rpId,
      rpName: settings.applicationName,
      userHandle,
      userName: name,
      userDisplayName: name,
      exclude: [],
      userVerification: settings.userVerification,
    });
    const verification = { ...pendingVerification(options, now), user_handle: userHandle };
    await signUps.startVerification(trx, signUp.id, verification, now);
    const updated = { ...signUp, ...verification, updated_at: now };
    return { result: updated, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  return finish(deps, caller.azp, done, settings, now);
}

type Outcome = { done: { result: SignUpRow; rows: SnapshotRows; cookie: string } } | { error: unknown };

export async function attemptSignUpVerification(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { strategy: string; public_key_credential: unknown },
): Promise<Answer<SignUpRow>> {
  const settings = await requirePasskeys(deps, params.strategy);
  const client = requireClient(caller);
  const now = deps.clock.now();
  // One transaction: take the challenge (single use, also on failure), verify, create. A rejected
  // attempt commits the spent challenge and its audit event, then answers with its error.
  const outcome = await deps.store.db.transaction().execute(async (trx): Promise<Outcome> => {
    const signUp = await signUps.takeChallenge(trx, { id, clientId: client.id, now });
    if (!signUp) {
      const row = await openSignUp(trx, client.id, id);
      if (row.verification_status === 'unverified') await signUps.expireVerification(trx, row.id, now);
      return { error: fail('verification_expired') };
    }
    // Checked again here, where the account is made: a challenge prepared earlier is spent for nothing.
    if (emailUnverified(signUp)) return { error: fail('email_address_unverified', { param: 'email_address' }) };
    const attestation = await verifyAttestation(deps, trx, {
      settings,
      challenge: signUp.verification_challenge!,
      credential: params.public_key_credential,
      clientId: client.id,
      userId: null,
      now,
      ctx: caller,
    });
    if ('error' in attestation) return { error: attestation.error };

    const userId = newId('user');
    const user: UserRow = { id: userId, user_handle: signUp.user_handle!, created_at: now, updated_at: now, last_sign_in_at: now, banned: 0, public_metadata: '{}', private_metadata: '{}' };
    await users.insert(trx, user);
    const idents: IdentifierRow[] = [
      ...(signUp.username ? [{ type: 'username' as const, value: signUp.username }] : []),
      ...(signUp.email_address ? [{ type: 'email_address' as const, value: signUp.email_address }] : []),
    ].map((i) => ({
      id: newId('idn'),
      user_id: userId,
      type: i.type,
      value: i.value,
      normalized: normalizeIdentifier(i.value),
      created_at: now,
      // A verified sign-up email stays verified on the account (notices and recovery go only to such addresses).
      verified_at: i.type === 'email_address' && signUp.email_verification_status === 'verified' ? now : null,
    }));
    for (const ident of idents) {
      try {
        await identifiers.insert(trx, ident);
      } catch (err) {
        // Someone took it between create and attempt; the transaction rolls back the user.
        if (isUniqueViolation(err)) throw identifierExists(ident.type);
        throw err;
      }
    }
    await audit(trx, now, 'user.created', { userId, clientId: client.id, ctx: caller });
    await emitUser(trx, now, 'user.created', user, idents);
    await insertPasskey(trx, { userId, verified: attestation.verified, userAgent: caller.userAgent, now, clientId: client.id, ctx: caller });
    const session = await createSession(trx, { clientId: client.id, userId, now, lifetimes: settings, ctx: caller });
    await signUps.complete(trx, { id: signUp.id, userId, sessionId: session.id, now });
    await audit(trx, now, 'sign_up.completed', { userId, clientId: client.id, data: { sign_up_id: signUp.id, session_id: session.id }, ctx: caller });
    const completed: SignUpRow = {
      ...signUp,
      status: 'complete',
      verification_status: 'verified',
      created_session_id: session.id,
      created_user_id: userId,
      updated_at: now,
    };
    const rotated = await rotateClientToken(trx, client.id, session.id, now);
    return { done: { result: completed, rows: await readSnapshot(trx, { clientId: client.id, settings, now, known: { client: rotated.client } }), cookie: rotated.token } };
  });
  if ('error' in outcome) throw outcome.error;
  return finish(deps, caller.azp, outcome.done, settings, now);
}
