/** The `secret_keys` table: backend API keys, found by the SHA-256 of the key (never the key). */
import type { SecretKeyRow } from './schema.js';
import type { Db } from './types.js';

export async function insert(db: Db, row: SecretKeyRow): Promise<void> {
  await db.insertInto('secret_keys').values(row).execute();
}

export function byHash(db: Db, hash: string): Promise<SecretKeyRow | undefined> {
  return db.selectFrom('secret_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
}

export function byId(db: Db, id: string): Promise<SecretKeyRow | undefined> {
  return db.selectFrom('secret_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function all(db: Db): Promise<SecretKeyRow[]> {
  return db.selectFrom('secret_keys').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** True if the key was live and is now revoked. */
export async function revoke(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('secret_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records use, but only if the stored time is at or before `staleBefore`: one write a minute at most. */
export async function markUsed(db: Db, id: string, now: number, staleBefore: number): Promise<void> {
  await db
    .updateTable('secret_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', staleBefore)]))
    .execute();
}
