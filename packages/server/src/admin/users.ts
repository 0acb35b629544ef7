/**
 * Users as the backend API manages them: list and search, read, create (identifiers only, no
 * passkey yet), update, delete, ban and unban, and a user's passkeys. One use case per function,
 * one transaction each, audited with the request's actor (the secret key; see audit/context).
 */
import { emitPasskeyDeleted, emitSessionsEnded, emitUser, emitUserDeleted } from '../webhooks/events.js';
import { type AuditContext, audit } from '../audit/index.js';
import type { UserBundle } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import * as clients from '../store/clients.js';
import * as identifiers from '../store/identifiers.js';
import { type Page, toPage } from '../store/pagination.js';
import * as passkeys from '../store/passkeys.js';
import type { IdentifierRow, PasskeyRow, UserRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';
import * as users from '../store/users.js';
import { identifierExists, normalizeIdentifier, validateEmail, validateUsername, type IdentifierType } from '../users/identifiers.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { newId } from '../util/ids.js';
import { randomBase64url } from '../util/random.js';

export type Metadata = Record<string, unknown>;

export interface UserChanges {
  username?: string | null;
  email_address?: string | null;
  public_metadata?: Metadata;
  private_metadata?: Metadata;
}

const userNotFound = () => fail('resource_not_found', { subject: 'user', why: 'No user with that id exists.' });

async function requireUser(db: Db, id: string): Promise<UserRow> {
  const user = await users.byId(db, id);
  if (!user) throw userNotFound();
  return user;
}

async function bundle(db: Db, user: UserRow): Promise<UserBundle> {
  return { user, identifiers: await identifiers.ofUser(db, user.id), passkeys: await passkeys.ofUser(db, user.id) };
}

/** Users in creation order, optionally those whose username or email contains `query`. */
export async function listUsers(deps: Deps, o: { query?: string; startingAfter?: string; limit: number }): Promise<Page<UserBundle>> {
  return deps.store.db.transaction().execute(async (trx) => {
    const cursor = o.startingAfter ? await users.byId(trx, o.startingAfter) : null;
    if (o.startingAfter && !cursor) throw fail('form_param_format_invalid', { param: 'starting_after', why: 'starting_after must be the id of a user in the list.' });
    const filter = o.query ? { query: o.query } : {};
    const rows = await users.page(trx, { ...filter, after: cursor ?? null, limit: o.limit });
    const ids = rows.map((u) => u.id);
    // Two queries for the whole page, not two per user.
    const idents = groupBy(await identifiers.ofUsers(trx, ids));
    const keys = groupBy(await passkeys.ofUsers(trx, ids));
    const bundles = rows.map((user) => ({ user, identifiers: idents.get(user.id) ?? [], passkeys: keys.get(user.id) ?? [] }));
    return toPage(bundles, o.limit, await users.count(trx, filter));
  });
}

function groupBy<T extends IdentifierRow | PasskeyRow>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) m.set(r.user_id, [...(m.get(r.user_id) ?? []), r]);
  return m;
}

export async function getUser(deps: Deps, id: string): Promise<UserBundle> {
  const db = deps.store.db;
  return bundle(db, await requireUser(db, id));
}

/** Writes the identifier of `type`, replacing the user's current one; null removes it. */
async function setIdentifier(db: Db, userId: string, type: IdentifierType, value: string | null, now: number): Promise<void> {
  await identifiers.removeOfType(db, userId, type);
  if (value === null) return;
  try {
    await identifiers.insert(db, { id: newId('idn'), user_id: userId, type, value, normalized: normalizeIdentifier(value), created_at: now });
  } catch (err) {
    if (isUniqueViolation(err)) throw identifierExists(type);
    throw err;
  }
}

function cleanChanges(c: UserChanges): UserChanges {
  const out: UserChanges = { ...c };
  if (typeof c.username === 'string') out.username = validateUsername(c.username);
  if (typeof c.email_address === 'string') out.email_address = validateEmail(c.email_address);
  return out;
}

/**
 * A user with a username and/or email address and no passkey: they finish by adding one, e.g.
 * through an identifier-first sign-up flow of the app. Their WebAuthn user handle is random.
 */
export async function createUser(deps: Deps, ctx: AuditContext, input: UserChanges): Promise<UserBundle> {
  const c = cleanChanges(input);
  if (!c.username && !c.email_address) throw fail('form_param_missing', { param: 'username', why: 'Give a username, an email_address or both.' });
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const id = newId('user');
    await users.insert(trx, {
      id,
      user_handle: randomBase64url(32),
      created_at: now,
      updated_at: now,
      last_sign_in_at: null,
      public_metadata: JSON.stringify(c.public_metadata ?? {}),
      private_metadata: JSON.stringify(c.private_metadata ?? {}),
    });
    if (c.username) await setIdentifier(trx, id, 'username', c.username, now);
    if (c.email_address) await setIdentifier(trx, id, 'email_address', c.email_address, now);
    await audit(trx, now, 'user.created', { userId: id, ctx });
    const created = await bundle(trx, (await users.byId(trx, id))!);
    await emitUser(trx, now, 'user.created', created.user, created.identifiers);
    return created;
  });
}

/** Changes what is given; metadata objects replace the stored ones whole (as Clerk's updateUser). */
export async function updateUser(deps: Deps, ctx: AuditContext, id: string, input: UserChanges): Promise<UserBundle> {
  const c = cleanChanges(input);
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, id);
    const idents = await identifiers.ofUser(trx, id);
    const remaining = (type: IdentifierType) => (c[type] !== undefined ? c[type] : (idents.find((i) => i.type === type)?.value ?? null));
    // A user is found by an identifier at sign-in; taking the last one away would strand them.
    if (!remaining('username') && !remaining('email_address')) {
      throw fail('form_param_format_invalid', { param: c.username === null ? 'username' : 'email_address', why: 'A user keeps at least one of username and email_address.' });
    }
    if (c.username !== undefined) await setIdentifier(trx, id, 'username', c.username, now);
    if (c.email_address !== undefined) await setIdentifier(trx, id, 'email_address', c.email_address, now);
    const set: Parameters<typeof users.update>[2] = {};
    if (c.public_metadata) set.public_metadata = JSON.stringify(c.public_metadata);
    if (c.private_metadata) set.private_metadata = JSON.stringify(c.private_metadata);
    await users.update(trx, id, set, now);
    await audit(trx, now, 'user.updated', { userId: id, data: { changed: Object.keys(input) }, ctx });
    const updated = await bundle(trx, { ...user, ...set, updated_at: now });
    await emitUser(trx, now, 'user.updated', updated.user, updated.identifiers);
    return updated;
  });
}

/** Deletes the user with their identifiers, passkeys and sessions (the database cascades). */
export async function deleteUser(deps: Deps, ctx: AuditContext, id: string): Promise<{ id: string }> {
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    await requireUser(trx, id);
    const ended = await sessions.revoke(trx, { userId: id }, now);
    for (const s of ended) await clients.clearActiveSessionIfIn(trx, s.client_id, [s.id], now);
    // Emitted before the cascade takes the sessions with the user.
    await emitSessionsEnded(trx, now, 'session.revoked', ended.map((s) => s.id));
    await users.remove(trx, id);
    await emitUserDeleted(trx, now, id);
    await audit(trx, now, 'user.deleted', { userId: id, data: { sessions_revoked: ended.length }, ctx });
    return { id };
  });
}

/**
 * Bans or unbans. A ban revokes every live session in the same transaction, after taking the
 * user row's lock with its UPDATE: a sign-in that committed first has its session revoked here;
 * one that commits later finds `banned = 1` and makes no session (users.markSignedIn).
 */
export async function setBanned(deps: Deps, ctx: AuditContext, id: string, banned: boolean): Promise<UserBundle> {
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, id);
    await users.update(trx, id, { banned: banned ? 1 : 0 }, now);
    if (banned) {
      const revoked = await sessions.revoke(trx, { userId: id }, now);
      for (const s of revoked) {
        await clients.clearActiveSessionIfIn(trx, s.client_id, [s.id], now);
        await audit(trx, now, 'session.revoked', { userId: id, clientId: s.client_id, data: { session_id: s.id, reason: 'user_banned' }, ctx });
      }
      await emitSessionsEnded(trx, now, 'session.revoked', revoked.map((s) => s.id));
    }
    await audit(trx, now, banned ? 'user.banned' : 'user.unbanned', { userId: id, ctx });
    return bundle(trx, { ...user, banned: banned ? 1 : 0, updated_at: now });
  });
}

export async function listUserPasskeys(deps: Deps, userId: string): Promise<PasskeyRow[]> {
  const db = deps.store.db;
  await requireUser(db, userId);
  return passkeys.ofUser(db, userId);
}

/**
 * Deletes one of the user's passkeys. Unlike the user's own delete, the last passkey may go: an
 * operator removing a stolen authenticator decides how the user gets back in.
 */
export async function deleteUserPasskey(deps: Deps, ctx: AuditContext, userId: string, passkeyId: string): Promise<{ id: string }> {
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    await requireUser(trx, userId);
    const passkey = await passkeys.ownedBy(trx, userId, passkeyId);
    if (!passkey) throw fail('resource_not_found', { subject: 'passkey', why: 'This user has no passkey with that id.' });
    await users.lockForChange(trx, userId, now);
    await passkeys.remove(trx, userId, passkeyId);
    await audit(trx, now, 'passkey.deleted', { userId, data: { passkey_id: passkeyId }, ctx });
    await emitPasskeyDeleted(trx, now, { id: passkeyId, user_id: userId });
    return { id: passkeyId };
  });
}
