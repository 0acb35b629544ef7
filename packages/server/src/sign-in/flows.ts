/**
 * Passkey sign-in in its three flows. Discoverable and autofill: the sign-in starts with an empty
 * allowCredentials list and the passkey names its user through the user handle. Identifier-first:
 * the user types an identifier, and `prepare` lists that user's credentials — or, for an unknown
 * identifier, decoys, so the answer never tells whether the account exists.
 *
 * Each request is one transaction that ends by reading the client's snapshot; tokens for it are
 * minted after the commit.
 */
import { type Caller, newClient, newClientToken, requireClient } from '../clients/index.js';
import { type Answer, finish, readSnapshot } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { policyFor } from '../domains/index.js';
import { audit, auditEvent } from '../audit/index.js';
import { fail, LatchkeyError } from '../errors/index.js';
import { signInFromNewDevice } from '../email/notices.js';
import { ceremonyFailure } from '../passkeys/ceremony-failure.js';
import { requirePasskeys } from '../passkeys/require-enabled.js';
import { newSession } from '../sessions/sessions.js';
import { refuseSecondSession } from '../sessions/single-session.js';
import type { InstanceSettings } from '../settings/index.js';
import * as clients from '../store/clients.js';
import * as passkeys from '../store/passkeys.js';
import type { ClientRow, SignInRow, UserRow } from '../store/schema.js';
import * as signInCompletion from '../store/sign-in-completion.js';
import * as signInStart from '../store/sign-in-start.js';
import * as signIns from '../store/sign-ins.js';
import * as users from '../store/users.js';
import type { Db } from '../store/types.js';
import { findUserIdByIdentifier, normalizeIdentifier } from '../users/identifiers.js';
import { newId } from '../util/ids.js';
import { emailFactorFor } from './email-factor.js';
import { parseAuthenticationCredential } from '../webauthn/credential-json.js';
import { decoyCredentials, decoyStoredCredential } from '../webauthn/decoys.js';
import { CeremonyRejected } from '../webauthn/errors.js';
import { newChallenge, requestOptions, toDescriptors } from '../webauthn/options.js';
import { offeredCredentialIds, pendingVerification } from '../webauthn/verification.js';
import { verifyAuthentication } from '../webauthn/verify-authentication.js';
import { webhookEvent } from '../webhooks/events.js';
import { sessionData } from '../webhooks/payloads.js';

/** An unfinished sign-in is dropped from the client after this long. */
const ABANDON_MS = 24 * 3600 * 1000;

/** `GET /v1/client/sign_ins/{id}`. */
export async function readSignIn(deps: Deps, caller: Caller, id: string): Promise<SignInRow> {
  const client = requireClient(caller);
  const row = await signIns.ofClient(deps.store.db, client.id, id);
  if (!row) throw fail('resource_not_found', { subject: 'sign-in' });
  return row;
}

export async function createSignIn(deps: Deps, caller: Caller, params: { identifier?: string; strategy?: string }): Promise<Answer<SignInRow>> {
  const settings = await requirePasskeys(deps, params.strategy);
  const now = deps.clock.now();
  const identifier = params.identifier?.trim() || null;
  const userId = identifier ? await findUserIdByIdentifier(deps.store.db, identifier) : null;
  // Email-code sign-in: the factor (the verified address, or a decoy) is fixed now.
  const emailFactor = identifier && settings.emailCodeSignIn ? await emailFactorFor(deps.store.db, deps.decoySecret, identifier, userId) : null;
  // `strategy=passkey` starts the ceremony at once (discoverable, or identifier and passkey
  // together); an identifier alone waits for `prepare_first_factor`.
  const startNow = params.strategy === 'passkey';
  const id = newId('sia');
  /** The new sign-in's row, its ceremony started when asked for (which may read the user's passkeys). */
  const newSignIn = async (db: Db, clientId: string): Promise<SignInRow> => {
    const signIn: SignInRow = {
      id,
      client_id: clientId,
      status: identifier || startNow ? 'needs_first_factor' : 'needs_identifier',
      identifier,
      user_id: userId,
      verification_strategy: 'passkey',
      email_code_mac: null,
      email_code_sent_at: null,
      email_address_id: emailFactor?.id ?? null,
      safe_identifier: emailFactor?.safe ?? null,
      verification_status: null,
      verification_challenge: null,
      verification_nonce: null,
      verification_attempts: 0,
      verification_expire_at: null,
      created_session_id: null,
      created_at: now,
      updated_at: now,
      abandon_at: now + ABANDON_MS,
    };
    return startNow ? { ...signIn, ...(await ceremonyFor(deps, db, signIn, settings, now)) } : signIn;
  };

  if (!caller.client) {
    // A browser without a client (every first sign-in): it has no sessions to refuse or read, and
    // its client row — already pointing at the sign-in — and the sign-in are written together,
    // in one statement on PostgreSQL.
    const { client, token } = newClient(now, { signInId: id });
    const signIn = await newSignIn(deps.store.db, client.id);
    await signInStart.insertWithNewClient(deps.store.db, { client, signIn });
    const rows = await readSnapshot(deps.store.db, { clientId: client.id, settings, now, known: { client, signIn, sessions: [] } });
    return finish(deps, caller.azp, { result: signIn, rows, cookie: token }, settings, now);
  }
  const existing = caller.client;
  // Sign-in and challenge in one transaction with the client's update: one commit for the request.
  const done = await deps.store.db.transaction().execute(async (trx) => {
    // Single-session mode: no second account in a signed-in browser. Having looked, the snapshot
    // below knows the client has no live sessions.
    const noSessions = await refuseSecondSession(trx, { clientId: existing.id, now, settings });
    const signIn = await newSignIn(trx, existing.id);
    await signIns.insert(trx, signIn);
    await clients.pointAtSignIn(trx, existing.id, id, now);
    const client: ClientRow = { ...existing, sign_in_id: id, updated_at: now };
    const rows = await readSnapshot(trx, { clientId: client.id, settings, now, known: { client, signIn, ...(noSessions ? { sessions: [] } : {}) } });
    return { result: signIn, rows };
  });
  return finish(deps, caller.azp, done, settings, now);
}

export async function prepareFirstFactor(deps: Deps, caller: Caller, id: string, params: { strategy: string }): Promise<Answer<SignInRow>> {
  const settings = await requirePasskeys(deps, params.strategy);
  const client = requireClient(caller);
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const signIn = await signIns.ofClient(trx, client.id, id);
    if (!signIn) throw fail('resource_not_found', { subject: 'sign-in' });
    if (signIn.status === 'complete') throw fail('sign_in_already_complete');
    if (signIn.status === 'needs_identifier') throw fail('form_param_missing', { param: 'identifier' });
    const verification = await ceremonyFor(deps, trx, signIn, settings, now);
    // A new challenge replaces the old one.
    await signIns.startVerification(trx, signIn.id, verification, now);
    const updated: SignInRow = { ...signIn, ...verification, verification_strategy: 'passkey', email_code_mac: null, updated_at: now };
    return { result: updated, rows: await readSnapshot(trx, { clientId: client.id, settings, now, known: { signIn: updated } }) };
  });
  return finish(deps, caller.azp, done, settings, now);
}

/** The challenge and request options of a sign-in, listing the named user's credentials (or decoys). */
async function ceremonyFor(deps: Deps, db: Db, signIn: SignInRow, settings: InstanceSettings, now: number) {
  let allow: ReturnType<typeof toDescriptors> = [];
  if (signIn.identifier) {
    // The lookup runs for an unknown identifier too (with an id no user has), so both cost the same.
    const own = await passkeys.descriptorsOfUser(db, signIn.user_id ?? 'user_');
    // A user without passkeys looks exactly like an unknown identifier (no enumeration).
    allow = own.length ? toDescriptors(own) : decoyCredentials(deps.decoySecret, normalizeIdentifier(signIn.identifier));
  }
  const options = requestOptions({
    challenge: newChallenge(),
    rpId: policyFor(settings, deps.config.mode).rpId,
    allow,
    userVerification: settings.userVerification,
  });
  return pendingVerification(options, now);
}

/** What the attempt's transaction decided: done, or an error to answer with after committing. */
type Outcome = { done: { result: SignInRow; rows: Awaited<ReturnType<typeof readSnapshot>>; cookie: string } } | { error: unknown };

export async function attemptFirstFactor(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { strategy: string; public_key_credential: unknown },
): Promise<Answer<SignInRow>> {
  const settings = await requirePasskeys(deps, params.strategy);
  const client = requireClient(caller);
  const now = deps.clock.now();

  // One transaction from taking the challenge to the new session, so a sign-in costs one commit.
  // A rejected attempt commits too — the spent challenge and the failure are recorded — and its
  // error is thrown after the commit. Only an unexpected error rolls everything back.
  const outcome: Outcome = await deps.store.db.transaction().execute(async (trx): Promise<Outcome> => {
    const outcome = await attemptIn(trx);
    // The audit log records every attempt's end: a completed one in the completion's statement
    // (sign_in.completed), a refused one here with the code it was refused with.
    if ('error' in outcome && outcome.error instanceof LatchkeyError) {
      await audit(trx, now, 'sign_in.failed', { clientId: client.id, data: { sign_in_id: id, reason: outcome.error.code }, ctx: caller });
    }
    return outcome;
  });
  if ('error' in outcome) throw outcome.error;
  return finish(deps, caller.azp, outcome.done, settings, now);

  async function attemptIn(trx: Db): Promise<Outcome> {
    // Single use: the challenge is taken before anything is checked, so a failed attempt cannot
    // be retried with it, and of concurrent attempts exactly one gets it.
    const signIn = await signIns.takeChallenge(trx, { id, clientId: client.id, now });
    if (!signIn) return { error: await noChallenge(trx, client.id, id, now) };
    const failed = async (err: unknown, extra: { userId?: string | null; passkeyId?: string } = {}): Promise<Outcome> => ({
      error: await ceremonyFailure(trx, err, { ceremony: 'authentication', now, clientId: client.id, ...extra, ctx: caller }),
    });

    let response;
    try {
      response = parseAuthenticationCredential(params.public_key_credential);
    } catch (err) {
      return failed(err); // the challenge is spent and the verification marked failed
    }
    const found = await passkeys.withOwnerByCredentialId(trx, response.rawId);
    if (!found && signIn.identifier !== null && offeredCredentialIds(signIn.verification_nonce).includes(response.rawId)) {
      // A decoy we offered (webauthn/decoys.ts): fail exactly as a real credential with a bad
      // signature does — verified against a stand-in key, the failure recorded the same way.
      return verifyDecoy(deps, response, signIn, settings).catch((err: unknown) => failed(err));
    }
    if (!found) return { error: fail('passkey_not_registered') };
    const { user_handle: userHandle, user_created_at: _c, user_updated_at: _u, user_last_sign_in_at: _l, user_public_metadata: _pm, user_private_metadata: _prm, ...passkey } = found;
    // Identifier-first: only a credential we offered, belonging to the user who was named.
    const identifierFirst = signIn.identifier !== null;
    if (identifierFirst) {
      if (!offeredCredentialIds(signIn.verification_nonce).includes(passkey.credential_id) || passkey.user_id !== signIn.user_id) {
        return failed(new CeremonyRejected('the credential was not one of allowCredentials'));
      }
    }

    let verified;
    try {
      verified = await verifyAuthentication({
        response,
        credential: {
          credentialId: passkey.credential_id,
          publicKey: new Uint8Array(passkey.public_key),
          counter: passkey.counter,
          backupEligible: passkey.backup_eligible === 1,
          userHandle,
        },
        expectedChallenge: signIn.verification_challenge!,
        policy: policyFor(settings, deps.config.mode),
        requireUserVerification: settings.userVerification === 'required',
        requireUserHandle: !identifierFirst,
      });
    } catch (err) {
      return failed(err, { userId: passkey.user_id, passkeyId: passkey.id });
    }

    // Counter compare-and-set, last sign-in, session, sign-in complete and a new cookie token
    // (no session fixation) — all or nothing, in one statement on PostgreSQL.
    const { session, event } = newSession({ clientId: client.id, userId: passkey.user_id, now, lifetimes: settings, ctx: caller });
    const signInEvent = auditEvent(now, 'sign_in.completed', { userId: passkey.user_id, clientId: client.id, data: { sign_in_id: signIn.id, session_id: session.id }, ctx: caller });
    const cookie = newClientToken();
    const rotated = await signInCompletion.complete(trx, {
      passkey: { id: passkey.id, expected: passkey.counter, counter: verified.newCounter, backupState: verified.backupState },
      userId: passkey.user_id,
      session,
      events: [event, signInEvent],
      sessionWebhook: webhookEvent('session.created', sessionData(session), now),
      signInId: signIn.id,
      client: { id: client.id, tokenHash: cookie.hash },
      now,
    });
    // The completion's user write is conditional on `banned = 0` and takes the user row's lock:
    // a ban committed first makes the sign-in write nothing; a ban that comes second waits for
    // this commit and then revokes the session made here (admin/users.ts). No session outlives it.
    if (!rotated) return { error: (await users.isBanned(trx, passkey.user_id)) ? fail('user_banned') : fail('verification_expired') };
    if (settings.newDeviceNotice) await signInFromNewDevice(deps, trx, { userId: passkey.user_id, clientId: client.id, session: session.id, userAgent: caller.userAgent, now });
    const completed: SignInRow = {
      ...signIn,
      status: 'complete',
      user_id: passkey.user_id,
      verification_status: 'verified',
      created_session_id: session.id,
      updated_at: now,
    };
    // Not banned: the completion wrote nothing otherwise.
    const owner: UserRow = {
      id: passkey.user_id,
      user_handle: userHandle,
      created_at: found.user_created_at,
      updated_at: now,
      last_sign_in_at: now,
      banned: 0,
      public_metadata: found.user_public_metadata,
      private_metadata: found.user_private_metadata,
    };
    const rows = await readSnapshot(trx, { clientId: client.id, settings, now, known: { client: rotated, signIn: completed, users: [owner] } });
    return { done: { result: completed, rows, cookie: cookie.token } };
  }
}

/** Runs the full assertion check against a decoy's stand-in credential; it can only throw. */
async function verifyDecoy(
  deps: Deps,
  response: ReturnType<typeof parseAuthenticationCredential>,
  signIn: SignInRow,
  settings: InstanceSettings,
): Promise<never> {
  await verifyAuthentication({
    response,
    credential: decoyStoredCredential(deps.decoySecret, normalizeIdentifier(signIn.identifier!), response.rawId),
    expectedChallenge: signIn.verification_challenge!,
    policy: policyFor(settings, deps.config.mode),
    requireUserVerification: settings.userVerification === 'required',
    requireUserHandle: false,
  });
  // Unreachable while nobody holds the stand-in's private key; refuse all the same.
  throw new CeremonyRejected('the signature did not verify');
}

/** Why there was no challenge to take: no such sign-in (404), finished, or challenge spent or stale. */
async function noChallenge(db: Db, clientId: string, id: string, now: number): Promise<unknown> {
  const signIn = await signIns.ofClient(db, clientId, id);
  if (!signIn) return fail('resource_not_found', { subject: 'sign-in' });
  if (signIn.status === 'complete') return fail('sign_in_already_complete');
  // Pending but past its deadline: say so on the sign-in.
  if (signIn.verification_status === 'unverified') await signIns.expireVerification(db, id, now);
  return fail('verification_expired');
}
