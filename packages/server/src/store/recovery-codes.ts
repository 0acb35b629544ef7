/** The `recovery_codes` table: a user's recovery codes, as MACs, each spent once. */
import type { RecoveryCodeRow } from './schema.js';
import type { Db } from './types.js';

/** Replaces the user's whole set (used and unused) with `rows`. */
export async function replaceForUser(db: Db, userId: string, rows: RecoveryCodeRow[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (rows.length) await db.insertInto('recovery_codes').values(rows).execute();
}

/** The user's codes not yet used (at most ten), for a constant-time comparison with each. */
export function unusedOfUser(db: Db, userId: string): Promise<Pick<RecoveryCodeRow, 'id' | 'mac'>[]> {
  return db.selectFrom('recovery_codes').select(['id', 'mac']).where('user_id', '=', userId).where('used_at', 'is', null).orderBy('id').execute();
}

/** Spends a code: true for exactly one of two attempts racing with it. */
export async function markUsed(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('recovery_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** How many codes the user has, and how many of them are unused; when the set was made. */
export async function summaryOfUser(db: Db, userId: string): Promise<{ total: number; remaining: number; createdAt: number | null }> {
  const rows = await db.selectFrom('recovery_codes').select(['used_at', 'created_at']).where('user_id', '=', userId).execute();
  return {
    total: rows.length,
    remaining: rows.filter((r) => r.used_at === null).length,
    createdAt: rows.length ? Math.max(...rows.map((r) => Number(r.created_at))) : null,
  };
}
