/**
 * The signed-in user's passkeys: add (two steps), rename, delete. A passkey being added exists
 * as a pending registration (its verification) until the attestation verifies, so an abandoned
 * attempt leaves no passkey. Every lookup is scoped to the owner: another user's passkey id is
 * simply "not registered".
 */
import { passkeyAdded, passkeyDeleted } from '../email/notices.js';
import { audit } from '../audit/index.js';
import { asActingSession } from '../clients/acting-session.js';
import type { Caller } from '../clients/index.js';
import { type Answer, finish, readSnapshot, readUser, type UserBundle } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { policyFor } from '../domains/index.js';
import { fail } from '../errors/index.js';
import { requireLiveSession } from '../sessions/sessions.js';
import type { InstanceSettings } from '../settings/index.js';
import * as identifiers from '../store/identifiers.js';
import * as registrations from '../store/passkey-registrations.js';
import * as passkeys from '../store/passkeys.js';
import type { PasskeyRegistrationRow, PasskeyRow, SessionRow } from '../store/schema.js';
import type { Db } from '../store/types.js';
import * as users from '../store/users.js';
import { newId } from '../util/ids.js';
import { cleanPasskeyName } from '../webauthn/naming.js';
import { CEREMONY_TIMEOUT_MS, creationOptions, newChallenge, toDescriptors } from '../webauthn/options.js';
import { pendingVerification } from '../webauthn/verification.js';
import { emitPasskeyDeleted } from '../webhooks/events.js';
import { insertPasskey, verifyAttestation } from './register.js';
import { liftRecoveryLimit } from '../recovery/lift.js';
import { requirePasskeys } from './require-enabled.js';

export const notRegistered = () => fail('passkey_not_registered', { param: 'passkey_id', why: 'No passkey with that id is registered to your account.' });
const quotaExceeded = (max: number) => fail('passkey_quota_exceeded', { why: `An account can have at most ${max} passkeys; delete one to add another.` });

/** `GET /v1/me`. */
export async function readMe(deps: Deps, caller: Caller, sessionId: string | undefined): Promise<Answer<UserBundle>> {
  const settings = await deps.settings.get();
  // Reading the profile is one of the two things a recovery session may do.
  return asActingSession(deps, caller, sessionId, settings, (trx, session) => readUser(trx, session.user_id), { allowLimited: true });
}

/**
 * `POST /v1/me/passkeys`. With `conditional`, the browser will be asked to create the passkey
 * without a prompt (`mediation: 'conditional'`, the automatic upgrade after a sign-in): the
 * registration remembers it, and only such a registration accepts a credential without UP or UV
 * (`register.ts` says why that is safe).
 */
export async function startPasskeyRegistration(
  deps: Deps,
  caller: Caller,
  sessionId: string | undefined,
  o: { conditional?: boolean } = {},
): Promise<Answer<PasskeyRegistrationRow>> {
  const settings = await requirePasskeys(deps);
  const conditional = o.conditional === true;
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
    const userId = session.user_id;
    // A recovery ends with a passkey the user was asked for, never one made silently: the code
    // that got them in may have been found by someone else, and the owner's device must agree.
    if (conditional && session.limited) {
      throw fail('session_recovery_limited', { why: 'A session signed in with a recovery code must add its passkey with the browser\'s prompt, not conditionally.' });
    }
    // A recovery session must be able to add its passkey even at the quota (it cannot delete one
    // first): it may go one over, once per recovery code.
    if (!session.limited && (await passkeys.countOfUser(trx, userId)) >= settings.maxPasskeysPerUser) throw quotaExceeded(settings.maxPasskeysPerUser);
    const user = await users.byId(trx, userId);
    if (!user) throw fail('signed_out');
    const idents = await identifiers.ofUser(trx, userId);
    const name = idents.find((i) => i.type === 'username')?.value ?? idents.find((i) => i.type === 'email_address')?.value ?? user.id;
    const options = creationOptions({
      challenge: newChallenge(),
      rpId: policyFor(settings, deps.config.mode).rpId,
      rpName: settings.applicationName,
      userHandle: user.user_handle,
      userName: name,
      userDisplayName: name,
      exclude: toDescriptors(await passkeys.descriptorsOfUser(trx, userId)),
      // A conditional create cannot verify the user (§5.1.3); asking for 'required' would only
      // let a browser refuse it. Sign-ins with the passkey still follow the setting.
      userVerification: conditional ? 'preferred' : settings.userVerification,
    });
    const row: PasskeyRegistrationRow = {
      id: newId('pk'),
      client_id: session.client_id,
      user_id: userId,
      conditional: conditional ? 1 : 0,
      ...pendingVerification(options, now),
      verification_attempts: 0,
      created_at: now,
    };
    // Abandoned registrations are swept as new ones start.
    await registrations.removeExpired(trx, now - CEREMONY_TIMEOUT_MS);
    await registrations.insert(trx, row);
    return row;
  }, { allowLimited: true }); // registering a passkey is how a recovery session ends its limit
}

export async function finishPasskeyRegistration(
  deps: Deps,
  caller: Caller,
  sessionId: string | undefined,
  passkeyId: string,
  params: { strategy: string; public_key_credential: unknown },
): Promise<Answer<PasskeyRow>> {
  const settings = await requirePasskeys(deps, params.strategy);
  // A rejected attestation commits (the spent challenge, the audit event) and is thrown after.
  let rejected: { error: unknown } | null = null;
  const answer = await asActingSession(deps, caller, sessionId, settings, async (trx, session, now): Promise<PasskeyRow | null> => {
    const pending = await registrations.takeChallenge(trx, { id: passkeyId, clientId: session.client_id, now });
    // Bound to the user who started it: another session on the same browser cannot finish it.
    if (!pending || pending.user_id !== session.user_id) throw fail('verification_expired');
    const attestation = await verifyAttestation(deps, trx, {
      settings,
      challenge: pending.verification_challenge!,
      credential: params.public_key_credential,
      clientId: session.client_id,
      userId: session.user_id,
      now,
      ctx: caller,
      conditional: pending.conditional === 1,
    });
    if ('error' in attestation) {
      rejected = attestation;
      return null;
    }
    await users.lockForChange(trx, session.user_id, now);
    // The quota again, under the user lock: two registrations racing cannot both pass it.
    if (!session.limited && (await passkeys.countOfUser(trx, session.user_id)) >= settings.maxPasskeysPerUser) throw quotaExceeded(settings.maxPasskeysPerUser);
    const row = await insertPasskey(trx, {
      id: passkeyId,
      userId: session.user_id,
      verified: attestation.verified,
      userAgent: caller.userAgent,
      now,
      clientId: session.client_id,
      ctx: caller,
      conditional: pending.conditional === 1,
    });
    await registrations.remove(trx, passkeyId);
    await passkeyAdded(deps, trx, { userId: session.user_id, passkeyName: row.name, now });
    // Signed in with a recovery code: the new passkey lifts the limit (and tells the owner).
    await liftRecoveryLimit(deps, trx, session, row.id, now, caller);
    return row;
  }, { allowLimited: true });
  if (rejected) throw (rejected as { error: unknown }).error;
  return answer as Answer<PasskeyRow>;
}

export async function renamePasskey(
  deps: Deps,
  caller: Caller,
  sessionId: string | undefined,
  passkeyId: string,
  rawName: string | undefined,
): Promise<Answer<PasskeyRow>> {
  const settings = await requirePasskeys(deps);
  if (rawName === undefined) throw fail('form_param_missing', { param: 'name' });
  const name = cleanPasskeyName(rawName);
  if (!name) throw fail('form_param_format_invalid', { param: 'name', why: 'Passkey names are 1–64 characters without control characters.' });
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
    const passkey = await passkeys.ownedBy(trx, session.user_id, passkeyId);
    if (!passkey) throw notRegistered();
    await users.lockForChange(trx, session.user_id, now);
    await passkeys.rename(trx, passkey.id, name, now);
    await audit(trx, now, 'passkey.renamed', { userId: session.user_id, clientId: session.client_id, data: { passkey_id: passkey.id }, ctx: caller });
    return { ...passkey, name, updated_at: now };
  });
}

/**
 * Passkeys are the only way into an account, so the last one cannot be deleted: that would lock
 * the user out for good. The count is checked inside the transaction (two deletes racing on the
 * last two passkeys cannot both pass).
 */
export async function deletePasskey(deps: Deps, caller: Caller, sessionId: string | undefined, passkeyId: string): Promise<Answer<{ id: string }>> {
  const settings = await requirePasskeys(deps);
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
    // A failed browser ceremony makes Clerk's SDK delete the half-made passkey: drop the pending
    // registration (the user's own only), so it can no longer be finished.
    if (await registrations.removeOfUser(trx, session.user_id, passkeyId)) return { id: passkeyId };
    // Dropping a half-made passkey is part of registering one; deleting a real one is not.
    if (session.limited) throw fail('session_recovery_limited');
    const passkey = await passkeys.ownedBy(trx, session.user_id, passkeyId);
    if (!passkey) throw notRegistered();
    await users.lockForChange(trx, session.user_id, now);
    await passkeys.remove(trx, session.user_id, passkey.id);
    // Written with the delete: if the check below rolls it back, the event goes with it.
    await emitPasskeyDeleted(trx, now, passkey);
    if ((await passkeys.countOfUser(trx, session.user_id)) === 0) throw fail('passkey_last_remaining');
    await audit(trx, now, 'passkey.deleted', { userId: session.user_id, clientId: session.client_id, data: { passkey_id: passkey.id }, ctx: caller });
    await passkeyDeleted(deps, trx, { userId: session.user_id, passkeyName: passkey.name, now });
    return { id: passkey.id };
  }, { allowLimited: true });
}
