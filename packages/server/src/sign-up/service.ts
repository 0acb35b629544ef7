/**
 * Passkey-first sign-up: username and/or email, then a passkey. Nothing about the user exists
 * until the passkey verifies; then user, identifiers, passkey and session are written in one
 * transaction, so a failure leaves no half-made account.
 */
import { randomBase64url } from '../util/random.js';
import { policyFor } from '../domains/index.js';
import type { Caller, Deps } from '../deps.js';
import { requirePasskeys } from '../passkeys/require-enabled.js';
import { errors, LatchkeyError } from '../errors/index.js';
import { audit } from '../audit/index.js';
import { insertPasskey, verifyAttestation } from '../passkeys/register.js';
import { rotateClientToken } from '../sessions/clients.js';
import { createSession } from '../sessions/sessions.js';
import type { SignUpRow } from '../store/schema.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import {
  findUserIdByIdentifier,
  identifierExists,
  normalizeIdentifier,
  validateEmail,
  validateUsername,
} from '../users/identifiers.js';
import { consumeChallenge, issueChallenge } from '../webauthn/challenges.js';
import { CEREMONY_TIMEOUT_MS, creationOptions, newChallenge } from '../webauthn/options.js';

const ABANDON_MS = 24 * 3600 * 1000;


async function loadSignUp(deps: Deps, caller: Caller, id: string): Promise<SignUpRow> {
  const row = await deps.store.db
    .selectFrom('sign_ups')
    .selectAll()
    .where('id', '=', id)
    .where('client_id', '=', caller.clientId)
    .executeTakeFirst();
  if (!row) throw errors.notFound('sign-up');
  if (row.status === 'complete') {
    throw new LatchkeyError('sign_up_already_complete', 400, 'This sign-up is already complete.', 'This sign-up has already completed; sign in instead.');
  }
  return row;
}

export async function createSignUp(
  deps: Deps,
  caller: Caller,
  params: { username?: string; email_address?: string },
): Promise<SignUpRow> {
  await requirePasskeys(deps);
  const username = params.username ? validateUsername(params.username) : null;
  const email = params.email_address ? validateEmail(params.email_address) : null;
  if (!username && !email) throw errors.paramMissing('username');
  const db = deps.store.db;
  if (username && (await findUserIdByIdentifier(db, username))) throw identifierExists('username');
  if (email && (await findUserIdByIdentifier(db, email))) throw identifierExists('email_address');
  const now = deps.clock.now();
  const row: SignUpRow = {
    id: newId('sua'),
    client_id: caller.clientId,
    status: 'missing_requirements',
    username,
    email_address: email,
    verification_status: null,
    verification_nonce: null,
    verification_attempts: 0,
    verification_expire_at: null,
    created_session_id: null,
    created_user_id: null,
    created_at: now,
    updated_at: now,
    abandon_at: now + ABANDON_MS,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('sign_ups').values(row).execute();
    await trx.updateTable('clients').set({ sign_up_id: row.id, updated_at: now }).where('id', '=', caller.clientId).execute();
  });
  return row;
}

export async function prepareSignUpVerification(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { strategy: string },
): Promise<SignUpRow> {
  const settings = await requirePasskeys(deps, params.strategy);
  const signUp = await loadSignUp(deps, caller, id);
  const now = deps.clock.now();
  // The future user's WebAuthn handle: random, no personal data (§14.6.1).
  const userHandle = randomBase64url(32);
  const name = signUp.username ?? signUp.email_address ?? 'user';
  const challenge = newChallenge();
  const options = creationOptions({
    challenge,
    rpId: policyFor(settings, deps.config.mode).rpId,
    rpName: settings.applicationName,
    userHandle,
    userName: name,
    userDisplayName: name,
    exclude: [],
    userVerification: settings.userVerification,
  });
  const update = {
    verification_status: 'unverified' as const,
    verification_nonce: JSON.stringify(options),
    verification_expire_at: now + CEREMONY_TIMEOUT_MS,
    updated_at: now,
  };
  await deps.store.db.transaction().execute(async (trx) => {
    await issueChallenge(trx, {
      kind: 'sign_up',
      clientId: caller.clientId,
      resourceId: signUp.id,
      userId: null,
      challenge,
      context: { userHandle },
      now,
    });
    await trx.updateTable('sign_ups').set(update).where('id', '=', signUp.id).execute();
  });
  return { ...signUp, ...update };
}

export async function attemptSignUpVerification(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { strategy: string; public_key_credential: unknown },
): Promise<{ signUp: SignUpRow; clientToken: string }> {
  const settings = await requirePasskeys(deps, params.strategy);
  const signUp = await loadSignUp(deps, caller, id);
  const db = deps.store.db;
  const now = deps.clock.now();
  const mark = (status: 'failed' | 'expired') =>
    db
      .updateTable('sign_ups')
      .set((eb) => ({ verification_status: status, verification_attempts: eb('verification_attempts', '+', 1), updated_at: now }))
      .where('id', '=', signUp.id)
      .where('status', '!=', 'complete')
      .execute()
      .then(() => undefined);

  let challenge;
  try {
    challenge = await consumeChallenge(db, { kind: 'sign_up', clientId: caller.clientId, resourceId: signUp.id, now });
  } catch (err) {
    if (signUp.verification_status === 'unverified') await mark('expired');
    throw err;
  }
  const verified = await verifyAttestation(deps, {
    settings,
    challenge,
    credential: params.public_key_credential,
    clientId: caller.clientId,
    userId: null,
    now,
    onFail: () => mark('failed'),
  });
  const { userHandle } = JSON.parse(challenge.context ?? '{}') as { userHandle: string };

  return db.transaction().execute(async (trx) => {
    const userId = newId('user');
    await trx.insertInto('users').values({ id: userId, user_handle: userHandle, created_at: now, updated_at: now, last_sign_in_at: now }).execute();
    const identifiers = [
      ...(signUp.username ? [{ type: 'username' as const, value: signUp.username }] : []),
      ...(signUp.email_address ? [{ type: 'email_address' as const, value: signUp.email_address }] : []),
    ];
    for (const ident of identifiers) {
      try {
        await trx
          .insertInto('identifiers')
          .values({ id: newId('idn'), user_id: userId, type: ident.type, value: ident.value, normalized: normalizeIdentifier(ident.value), created_at: now })
          .execute();
      } catch (err) {
        // Someone took it between create and attempt; the transaction rolls back the user.
        if (isUniqueViolation(err)) throw identifierExists(ident.type);
        throw err;
      }
    }
    await audit(trx, now, 'user.created', { userId, clientId: caller.clientId });
    await insertPasskey(trx, { userId, verified, userAgent: caller.userAgent, now, clientId: caller.clientId });
    const session = await createSession(trx, { clientId: caller.clientId, userId, now, lifetimes: settings });
    const done = {
      status: 'complete' as const,
      verification_status: 'verified' as const,
      verification_attempts: signUp.verification_attempts + 1,
      created_session_id: session.id,
      created_user_id: userId,
      updated_at: now,
    };
    await trx.updateTable('sign_ups').set(done).where('id', '=', signUp.id).execute();
    const { token: clientToken } = await rotateClientToken(trx, caller.clientId, now, session.id);
    return { signUp: { ...signUp, ...done }, clientToken };
  });
}
