/**
 * The administrator tables (migration 0010): administrators, their passkeys, one-time setup and
 * invite links, dashboard sessions and pending ceremonies. Tokens are looked up by their hash.
 */
import { sql } from 'kysely';
import type {
  AdministratorCeremonyRow,
  AdministratorLinkRow,
  AdministratorPasskeyRow,
  AdministratorRow,
  AdministratorSessionRow,
} from './schema.js';
import type { Db } from './types.js';

export async function count(db: Db): Promise<number> {
  const row = await db.selectFrom('administrators').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insert(db: Db, row: AdministratorRow): Promise<void> {
  await db.insertInto('administrators').values(row).execute();
}

export function byId(db: Db, id: string): Promise<AdministratorRow | undefined> {
  return db.selectFrom('administrators').selectAll().where('id', '=', id).executeTakeFirst();
}

export function all(db: Db): Promise<AdministratorRow[]> {
  return db.selectFrom('administrators').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function markSignedIn(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('administrators').set({ last_sign_in_at: now }).where('id', '=', id).execute();
}

// Passkeys.

export async function insertPasskey(db: Db, row: AdministratorPasskeyRow): Promise<void> {
  await db.insertInto('administrator_passkeys').values(row).execute();
}

/** The credential with its owner's user handle, for an assertion. */
export function passkeyByCredentialId(db: Db, credentialId: string): Promise<(AdministratorPasskeyRow & { user_handle: string }) | undefined> {
  return db
    .selectFrom('administrator_passkeys as p')
    .innerJoin('administrators as a', 'a.id', 'p.administrator_id')
    .selectAll('p')
    .select('a.user_handle')
    .where('p.credential_id', '=', credentialId)
    .executeTakeFirst();
}

export async function isCredentialRegistered(db: Db, credentialId: string): Promise<boolean> {
  return (await db.selectFrom('administrator_passkeys').select('id').where('credential_id', '=', credentialId).executeTakeFirst()) !== undefined;
}

/** Compare-and-set on the signature counter: false when another sign-in moved it first. */
export async function advanceCounter(db: Db, id: string, from: number, to: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('administrator_passkeys')
    .set({ counter: to, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// Links.

export async function insertLink(db: Db, row: AdministratorLinkRow): Promise<void> {
  await db.insertInto('administrator_links').values(row).execute();
}

/** Takes a live link once: marks it used and returns it, or undefined if used, expired or unknown. */
export function takeLink(db: Db, tokenHash: string, now: number): Promise<AdministratorLinkRow | undefined> {
  return db
    .updateTable('administrator_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expire_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** A live link, without taking it (the setup page asks whether its link still works). */
export function liveLink(db: Db, tokenHash: string, now: number): Promise<AdministratorLinkRow | undefined> {
  return db
    .selectFrom('administrator_links')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expire_at', '>', now)
    .executeTakeFirst();
}

export async function setLinkUsedBy(db: Db, id: string, administratorId: string): Promise<void> {
  await db.updateTable('administrator_links').set({ used_by: administratorId }).where('id', '=', id).execute();
}

// Ceremonies.

export async function insertCeremony(db: Db, row: AdministratorCeremonyRow): Promise<void> {
  await db.insertInto('administrator_ceremonies').values(row).execute();
}

/** Takes a pending ceremony of `kind` once (single-use challenge), or undefined. */
export function takeCeremony(db: Db, id: string, kind: AdministratorCeremonyRow['kind'], now: number): Promise<AdministratorCeremonyRow | undefined> {
  return db
    .updateTable('administrator_ceremonies')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expire_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

// Sessions.

export async function insertSession(db: Db, row: AdministratorSessionRow): Promise<void> {
  await db.insertInto('administrator_sessions').values(row).execute();
}

/** A live session (not ended, not past its absolute expiry) with its administrator. */
export function liveSessionByHash(db: Db, tokenHash: string, now: number): Promise<(AdministratorSessionRow & { name: string }) | undefined> {
  return db
    .selectFrom('administrator_sessions as s')
    .innerJoin('administrators as a', 'a.id', 's.administrator_id')
    .selectAll('s')
    .select('a.name')
    .where('s.token_hash', '=', tokenHash)
    .where('s.ended_at', 'is', null)
    .where('s.expire_at', '>', now)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('administrator_sessions').set({ last_active_at: now }).where('id', '=', id).execute();
}

export async function endSession(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('administrator_sessions').set({ ended_at: now }).where('id', '=', id).where('ended_at', 'is', null).execute();
}

/**
 * Deletes ceremonies and links past their expiry, and dashboard sessions ended or expired before
 * `sessionsBefore`; returns how many rows went. Few rows (administrators are few): no batching.
 */
export async function sweep(db: Db, now: number, sessionsBefore: number): Promise<number> {
  const counts = await Promise.all([
    db.deleteFrom('administrator_ceremonies').where('expire_at', '<=', now).executeTakeFirst(),
    db.deleteFrom('administrator_links').where('expire_at', '<=', now).executeTakeFirst(),
    db.deleteFrom('administrator_sessions').where(sql<boolean>`coalesce(ended_at, expire_at) < ${sessionsBefore}`).executeTakeFirst(),
  ]);
  return counts.reduce((n, r) => n + Number(r.numDeletedRows), 0);
}
