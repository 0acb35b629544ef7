/**
 * The signed-in user's passkeys: add (two steps), rename, delete. A passkey being added exists
 * only as its challenge until the attestation verifies, so an abandoned attempt leaves nothing.
 * Every lookup is scoped to the owner: another user's passkey id is simply "not registered".
 */
import { policyFor } from '../domains/index.js';
import type { Caller, Deps } from '../deps.js';
import { requirePasskeys } from './require-enabled.js';
import { errors, LatchkeyError } from '../errors/index.js';
import { audit } from '../audit/index.js';
import type { Transaction } from 'kysely';
import type { Database, PasskeyRow, SessionRow } from '../store/schema.js';
import { dropPendingPasskey } from '../store/pending-passkeys.js';
import { newId } from '../util/ids.js';
import { consumeChallenge, issueChallenge } from '../webauthn/challenges.js';
import { cleanPasskeyName } from '../webauthn/naming.js';
import { CEREMONY_TIMEOUT_MS, creationOptions, newChallenge, toDescriptors } from '../webauthn/options.js';
import { insertPasskey, verifyAttestation } from './register.js';


const notRegistered = () =>
  new LatchkeyError('passkey_not_registered', 404, 'Passkey not found.', 'No passkey with that id is registered to your account.', {
    param_name: 'passkey_id',
  });

const quotaExceeded = (max: number) =>
  new LatchkeyError('passkey_quota_exceeded', 403, 'Passkey limit reached.', `An account can have at most ${max} passkeys; delete one to add another.`);

/**
 * Touching the user row first takes its row lock on PostgreSQL, so concurrent changes to one
 * user's passkeys run one after another and each sees the other's result (SQLite serializes
 * writers anyway). It also moves `user.updated_at`, which React bindings re-render on.
 */
async function lockUser(trx: Transaction<Database>, userId: string, now: number): Promise<void> {
  await trx.updateTable('users').set({ updated_at: now }).where('id', '=', userId).execute();
}

async function countPasskeys(deps: Deps, userId: string): Promise<number> {
  const r = await deps.store.db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface PendingPasskey {
  id: string;
  nonce: string;
  expireAt: number;
}

export async function startPasskeyRegistration(deps: Deps, caller: Caller, session: SessionRow): Promise<PendingPasskey> {
  const settings = await requirePasskeys(deps);
  if ((await countPasskeys(deps, session.user_id)) >= settings.maxPasskeysPerUser) throw quotaExceeded(settings.maxPasskeysPerUser);
  const db = deps.store.db;
  const now = deps.clock.now();
  const [user, identifiers, existing] = await Promise.all([
    db.selectFrom('users').select(['id', 'user_handle']).where('id', '=', session.user_id).executeTakeFirstOrThrow(),
    db.selectFrom('identifiers').select(['type', 'value']).where('user_id', '=', session.user_id).execute(),
    db.selectFrom('passkeys').select(['credential_id', 'transports']).where('user_id', '=', session.user_id).execute(),
  ]);
  const name =
    identifiers.find((i) => i.type === 'username')?.value ?? identifiers.find((i) => i.type === 'email_address')?.value ?? user.id;
  const id = newId('pk');
  const challenge = newChallenge();
  const options = creationOptions({
    challenge,
    rpId: policyFor(settings, deps.config.mode).rpId,
    rpName: settings.applicationName,
    userHandle: user.user_handle,
    userName: name,
    userDisplayName: name,
    exclude: toDescriptors(existing),
    userVerification: settings.userVerification,
  });
  await issueChallenge(db, {
    kind: 'passkey_registration',
    clientId: caller.clientId,
    resourceId: id,
    userId: user.id,
    challenge,
    now,
  });
  return { id, nonce: JSON.stringify(options), expireAt: now + CEREMONY_TIMEOUT_MS };
}

export async function finishPasskeyRegistration(
  deps: Deps,
  caller: Caller,
  session: SessionRow,
  passkeyId: string,
  params: { strategy: string; public_key_credential: unknown },
): Promise<PasskeyRow> {
  const settings = await requirePasskeys(deps, params.strategy);
  const db = deps.store.db;
  const now = deps.clock.now();
  const challenge = await consumeChallenge(db, { kind: 'passkey_registration', clientId: caller.clientId, resourceId: passkeyId, now });
  // Bound to the user who started it: another session on the same browser cannot finish it.
  if (challenge.user_id !== session.user_id) throw errors.verificationExpired();
  const verified = await verifyAttestation(deps, {
    settings,
    challenge,
    credential: params.public_key_credential,
    clientId: caller.clientId,
    userId: session.user_id,
    now,
    onFail: async () => {},
  });
  return db.transaction().execute(async (trx) => {
    await lockUser(trx, session.user_id, now);
    // The quota again, under the user lock: two registrations racing cannot both pass it.
    const count = await trx
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', session.user_id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= settings.maxPasskeysPerUser) throw quotaExceeded(settings.maxPasskeysPerUser);
    return insertPasskey(trx, { id: passkeyId, userId: session.user_id, verified, userAgent: caller.userAgent, now, clientId: caller.clientId });
  });
}

async function ownedPasskey(deps: Deps, userId: string, passkeyId: string): Promise<PasskeyRow> {
  const row = await deps.store.db
    .selectFrom('passkeys')
    .selectAll()
    .where('id', '=', passkeyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notRegistered();
  return row;
}

export async function renamePasskey(deps: Deps, caller: Caller, session: SessionRow, passkeyId: string, rawName: string | undefined): Promise<PasskeyRow> {
  await requirePasskeys(deps);
  if (rawName === undefined) throw errors.paramMissing('name');
  const name = cleanPasskeyName(rawName);
  if (!name) throw errors.paramInvalid('name', 'Passkey names are 1–64 characters without control characters.');
  const passkey = await ownedPasskey(deps, session.user_id, passkeyId);
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    await lockUser(trx, session.user_id, now);
    await trx.updateTable('passkeys').set({ name, updated_at: now }).where('id', '=', passkey.id).execute();
    await audit(trx, now, 'passkey.renamed', { userId: session.user_id, clientId: caller.clientId, data: { passkey_id: passkey.id } });
  });
  return { ...passkey, name, updated_at: now };
}

/**
 * Passkeys are the only way into an account, so the last one cannot be deleted: that would lock
 * the user out for good. The count is checked inside the transaction (two deletes racing on the
 * last two passkeys cannot both pass).
 */
export async function deletePasskey(deps: Deps, caller: Caller, session: SessionRow, passkeyId: string): Promise<void> {
  await requirePasskeys(deps);
  // A failed browser ceremony makes Clerk's SDK delete the half-made passkey: drop its challenge.
  if (await dropPendingPasskey(deps.store.db, { passkeyId, userId: session.user_id, clientId: caller.clientId })) return;
  const passkey = await ownedPasskey(deps, session.user_id, passkeyId);
  const now = deps.clock.now();
  await deps.store.db.transaction().execute(async (trx) => {
    await lockUser(trx, session.user_id, now);
    await trx.deleteFrom('passkeys').where('id', '=', passkey.id).where('user_id', '=', session.user_id).execute();
    const left = await trx
      .selectFrom('passkeys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', session.user_id)
      .executeTakeFirstOrThrow();
    if (Number(left.n) === 0) {
      throw new LatchkeyError(
        'passkey_last_remaining',
        409,
        'This is your only passkey.',
        'You cannot delete your only passkey: you would have no way to sign in. Add another passkey first.',
      );
    }
    await audit(trx, now, 'passkey.deleted', { userId: session.user_id, clientId: caller.clientId, data: { passkey_id: passkey.id } });
  });
}
