/**
 * Passkey sign-in in its three flows. Discoverable and autofill: the sign-in starts with an empty
 * allowCredentials list and the passkey names its user through the user handle. Identifier-first:
 * the user types an identifier, and `prepare` lists that user's credentials — or, for an unknown
 * identifier, decoys, so the answer never tells whether the account exists.
 */
import { policyFor } from '../domains/index.js';
import type { Caller, Deps } from '../deps.js';
import { requirePasskeys } from '../passkeys/require-enabled.js';
import { errors, LatchkeyError } from '../errors/index.js';
import { rotateClientToken } from '../sessions/clients.js';
import { createSession } from '../sessions/sessions.js';
import type { Transaction } from 'kysely';
import type { InstanceSettings } from '../settings/index.js';
import { prepared } from '../store/prepared.js';
import type { ClientRow, Database, PasskeyRow, SignInRow } from '../store/schema.js';
import { findUserIdByIdentifier, normalizeIdentifier } from '../users/identifiers.js';
import { newId } from '../util/ids.js';
import { CeremonyRejected } from '../webauthn/client-data.js';
import { parseAuthenticationCredential } from '../webauthn/credential-json.js';
import { decoyCredentials } from '../webauthn/decoys.js';
import { ceremonyFailure } from '../webauthn/failure.js';
import { CEREMONY_TIMEOUT_MS, newChallenge, requestOptions, toDescriptors } from '../webauthn/options.js';
import { verifyAuthentication } from '../webauthn/verify-authentication.js';

/** An unfinished sign-in is dropped from the client after this long. */
const ABANDON_MS = 24 * 3600 * 1000;


// The queries of the sign-in hot path, compiled once (store/prepared.ts).
const signInOfClient = prepared<{ id: string; clientId: string }, SignInRow>((db, p) =>
  db.selectFrom('sign_ins').selectAll().where('id', '=', p('id')).where('client_id', '=', p('clientId')),
);
const insertSignIn = prepared<SignInRow>((db, p) =>
  db.insertInto('sign_ins').values({
    id: p('id'),
    client_id: p('client_id'),
    status: p('status'),
    identifier: p('identifier'),
    user_id: p('user_id'),
    verification_status: p('verification_status'),
    verification_nonce: p('verification_nonce'),
    verification_attempts: p('verification_attempts'),
    verification_expire_at: p('verification_expire_at'),
    created_session_id: p('created_session_id'),
    created_at: p('created_at'),
    updated_at: p('updated_at'),
    abandon_at: p('abandon_at'),
  }),
);
const pointClientAt = prepared<{ clientId: string; signInId: string; now: number }>((db, p) =>
  db.updateTable('clients').set({ sign_in_id: p('signInId'), updated_at: p('now') }).where('id', '=', p('clientId')),
);
const passkeyWithOwner = prepared<{ credentialId: string }, PasskeyRow & { user_handle: string }>((db, p) =>
  db
    .selectFrom('passkeys')
    .innerJoin('users', 'users.id', 'passkeys.user_id')
    .selectAll('passkeys')
    .select('users.user_handle')
    .where('passkeys.credential_id', '=', p('credentialId')),
);
/** Compare-and-set on the counter: two valid assertions racing cannot both move it. */
const advanceCounter = prepared<{ id: string; expected: number; counter: number; backupState: number; now: number }>((db, p) =>
  db
    .updateTable('passkeys')
    .set({ counter: p('counter'), backup_state: p('backupState'), last_used_at: p('now'), updated_at: p('now') })
    .where('id', '=', p('id'))
    .where('counter', '=', p('expected')),
);
const markSignedIn = prepared<{ userId: string; now: number }>((db, p) =>
  db.updateTable('users').set({ last_sign_in_at: p('now'), updated_at: p('now') }).where('id', '=', p('userId')),
);
const completeSignIn = prepared<{ id: string; userId: string; attempts: number; sessionId: string; now: number }>((db, p) =>
  db
    .updateTable('sign_ins')
    .set({
      status: 'complete',
      user_id: p('userId'),
      verification_status: 'verified',
      verification_attempts: p('attempts'),
      created_session_id: p('sessionId'),
      updated_at: p('now'),
    })
    .where('id', '=', p('id')),
);

/** Takes the sign-in's pending challenge, if it has one that is still good (see attemptFirstFactor). */
const takeChallenge = prepared<{ id: string; clientId: string; now: number }, SignInRow>((db, p) =>
  db
    .updateTable('sign_ins')
    .set((eb) => ({ verification_status: 'failed', verification_attempts: eb('verification_attempts', '+', 1), updated_at: p('now') }))
    .where('id', '=', p('id'))
    .where('client_id', '=', p('clientId'))
    .where('status', '!=', 'complete')
    .where('verification_status', '=', 'unverified')
    .where('verification_expire_at', '>', p('now'))
    .returningAll(),
);

export async function loadSignIn(deps: Deps, caller: Caller, id: string): Promise<SignInRow> {
  const row = await signInOfClient.first(deps.store.db, { id, clientId: caller.clientId });
  if (!row) throw errors.notFound('sign-in');
  return row;
}

/** Runs in the sign-in's transaction: the caller's client, created there if the browser has none. */
export type CallerIn = (trx: Transaction<Database>, o: { signInId: string }) => Promise<Caller>;

export async function createSignIn(
  deps: Deps,
  callerIn: CallerIn,
  params: { identifier?: string; strategy?: string },
): Promise<SignInRow & { newClient: boolean }> {
  const settings = await requirePasskeys(deps, params.strategy);
  const now = deps.clock.now();
  const identifier = params.identifier?.trim() || null;
  const userId = identifier ? await findUserIdByIdentifier(deps.store.db, identifier) : null;
  // `strategy=passkey` alone starts the discoverable flow at once; with an identifier, the
  // identifier-first flow waits for `prepare_first_factor`.
  const discoverable = !identifier && params.strategy === 'passkey';
  // Client, sign-in and challenge in one transaction: one commit for the whole request.
  return deps.store.db.transaction().execute(async (trx) => {
    const id = newId('sia');
    const caller = await callerIn(trx, { signInId: id });
    const row: SignInRow = {
      id,
      client_id: caller.clientId,
      status: identifier || params.strategy === 'passkey' ? 'needs_first_factor' : 'needs_identifier',
      identifier,
      user_id: userId,
      verification_status: null,
      verification_nonce: null,
      verification_attempts: 0,
      verification_expire_at: null,
      created_session_id: null,
      created_at: now,
      updated_at: now,
      abandon_at: now + ABANDON_MS,
    };
    if (discoverable) Object.assign(row, await startCeremony(deps, trx, caller, row, settings, now, { insert: true }));
    else await insertSignIn.run(trx, row);
    // A client created just now already points at this sign-in.
    if (!caller.newClient) await pointClientAt.run(trx, { clientId: caller.clientId, signInId: row.id, now });
    if (identifier && params.strategy === 'passkey') {
      Object.assign(row, await startCeremony(deps, trx, caller, row, settings, now, { insert: false }));
    }
    return { ...row, newClient: caller.newClient === true };
  });
}

export async function prepareFirstFactor(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { strategy: string },
): Promise<SignInRow> {
  const settings = await requirePasskeys(deps, params.strategy);
  const signIn = await loadSignIn(deps, caller, id);
  if (signIn.status === 'complete') throw alreadyComplete();
  if (signIn.status === 'needs_identifier') throw errors.paramMissing('identifier');
  const now = deps.clock.now();
  const update = await deps.store.db.transaction().execute((trx) => startCeremony(deps, trx, caller, signIn, settings, now, { insert: false }));
  return { ...signIn, ...update };
}

/**
 * Issues the challenge and its request options, and records them on the sign-in — inserting the
 * sign-in row with them when it is new, so a fresh discoverable sign-in is written once.
 */
async function startCeremony(
  deps: Deps,
  trx: Transaction<Database>,
  caller: Caller,
  signIn: SignInRow,
  settings: InstanceSettings,
  now: number,
  o: { insert: boolean },
): Promise<Pick<SignInRow, 'verification_status' | 'verification_nonce' | 'verification_expire_at' | 'updated_at'>> {
  let allow: ReturnType<typeof toDescriptors> = [];
  if (signIn.identifier) {
    const own = signIn.user_id
      ? await trx.selectFrom('passkeys').select(['credential_id', 'transports']).where('user_id', '=', signIn.user_id).execute()
      : [];
    // A user without passkeys looks exactly like an unknown identifier (no enumeration).
    allow = own.length ? toDescriptors(own) : decoyCredentials(deps.decoySecret, normalizeIdentifier(signIn.identifier));
  }
  const challenge = newChallenge();
  const options = requestOptions({
    challenge,
    rpId: policyFor(settings, deps.config.mode).rpId,
    allow,
    userVerification: settings.userVerification,
  });
  const update = {
    verification_status: 'unverified' as const,
    verification_nonce: JSON.stringify(options),
    verification_expire_at: now + CEREMONY_TIMEOUT_MS,
    updated_at: now,
  };
  // The challenge lives in the sign-in's own row (inside the options): a new one replaces the old.
  if (o.insert) await insertSignIn.run(trx, { ...signIn, ...update });
  else await trx.updateTable('sign_ins').set(update).where('id', '=', signIn.id).execute();
  return update;
}

export interface CompletedSignIn {
  signIn: SignInRow;
  clientToken: string;
  /** What the sign-in changed on the client: new token, the session active, the sign-in detached. */
  clientChanges: Partial<ClientRow>;
}

/** What the attempt's transaction decided: done, or an error to answer with after committing. */
type Outcome = { done: CompletedSignIn } | { error: unknown };

export async function attemptFirstFactor(
  deps: Deps,
  caller: Caller,
  id: string,
  params: { strategy: string; public_key_credential: unknown },
): Promise<CompletedSignIn> {
  const settings = await requirePasskeys(deps, params.strategy);
  const now = deps.clock.now();

  // One transaction from taking the challenge to the new session, so a sign-in costs one commit.
  // A rejected attempt commits too — the spent challenge and the failure are recorded — and its
  // error is thrown after the commit. Only an unexpected error rolls everything back.
  const outcome: Outcome = await deps.store.db.transaction().execute(async (trx) => {
    // Single use: the challenge is taken before anything is checked — the verification leaves
    // `unverified` in one conditional UPDATE — so a failed attempt cannot be retried with it, and
    // of concurrent attempts exactly one gets it. It stays `failed` unless this attempt succeeds.
    const signIn = await takeChallenge.first(trx, { id, clientId: caller.clientId, now });
    if (!signIn) return { error: await noChallenge(trx, caller, id, now) };
    const options = JSON.parse(signIn.verification_nonce!) as { challenge: string; allowCredentials?: { id: string }[] };
    const fail = async (err: unknown, extra: { userId?: string | null; passkeyId?: string } = {}): Promise<Outcome> => {
      try {
        return await ceremonyFailure(trx, err, { ceremony: 'authentication', now, clientId: caller.clientId, ...extra });
      } catch (answer) {
        return { error: answer };
      }
    };

    let response;
    try {
      response = parseAuthenticationCredential(params.public_key_credential);
    } catch (err) {
      return { error: err }; // the challenge is spent and the verification marked failed
    }
    // One query for the credential and its owner's user handle: this is the sign-in hot path.
    const found = await passkeyWithOwner.first(trx, { credentialId: response.rawId });
    if (!found) {
      return {
        error: new LatchkeyError(
          'passkey_not_registered',
          404,
          'This passkey is not registered.',
          'This passkey is not registered with this application; it may have been deleted.',
        ),
      };
    }
    const { user_handle: userHandle, ...passkey } = found;
    const owner = { id: passkey.user_id, user_handle: userHandle };
    // Identifier-first: only a credential we offered, belonging to the user who was named.
    const identifierFirst = signIn.identifier !== null;
    if (identifierFirst) {
      const offered = (options.allowCredentials ?? []).map((d) => d.id);
      if (!offered.includes(passkey.credential_id) || passkey.user_id !== signIn.user_id) {
        return fail(new CeremonyRejected('the credential was not one of allowCredentials'));
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
          userHandle: owner.user_handle,
        },
        expectedChallenge: options.challenge,
        policy: policyFor(settings, deps.config.mode),
        requireUserVerification: settings.userVerification === 'required',
        requireUserHandle: !identifierFirst,
      });
    } catch (err) {
      return fail(err, { userId: owner.id, passkeyId: passkey.id });
    }

    const updated = await advanceCounter.run(trx, {
      id: passkey.id,
      expected: passkey.counter,
      counter: verified.newCounter,
      backupState: verified.backupState ? 1 : 0,
      now,
    });
    if (updated !== 1) return { error: errors.verificationExpired() };
    await markSignedIn.run(trx, { userId: owner.id, now });
    const session = await createSession(trx, { clientId: caller.clientId, userId: owner.id, now, lifetimes: settings });
    const done = {
      status: 'complete' as const,
      user_id: owner.id,
      verification_status: 'verified' as const,
      verification_attempts: signIn.verification_attempts, // already counted when the challenge was taken
      created_session_id: session.id,
      updated_at: now,
    };
    await completeSignIn.run(trx, { id: signIn.id, userId: owner.id, attempts: done.verification_attempts, sessionId: session.id, now });
    const rotated = await rotateClientToken(trx, caller.clientId, now, session.id, { endsSignIn: true });
    return { done: { signIn: { ...signIn, ...done }, clientToken: rotated.token, clientChanges: rotated.changes } };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.done;
}

/** Why there was no challenge to take: no such sign-in (404), finished, or challenge spent or stale. */
async function noChallenge(trx: Transaction<Database>, caller: Caller, id: string, now: number): Promise<LatchkeyError> {
  const signIn = await signInOfClient.first(trx, { id, clientId: caller.clientId });
  if (!signIn) return errors.notFound('sign-in');
  if (signIn.status === 'complete') return alreadyComplete();
  if (signIn.verification_status === 'unverified') {
    // Pending but past its deadline: say so on the sign-in.
    await trx
      .updateTable('sign_ins')
      .set((eb) => ({ verification_status: 'expired', verification_attempts: eb('verification_attempts', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .execute();
  }
  return errors.verificationExpired();
}

function alreadyComplete() {
  return new LatchkeyError(
    'sign_in_already_complete',
    400,
    'This sign-in is already complete.',
    'This sign-in has already completed; start a new sign-in instead of repeating an attempt.',
  );
}
