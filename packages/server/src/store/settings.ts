/**
 * The `settings` table: one row holding the instance settings as JSON, so a change is a single
 * atomic write. The value is stored as given and returned unvalidated; settings/ owns its shape.
 */
import type { Db } from './types.js';

const ROW_ID = 'instance';

/** The stored settings object, or null before anything was ever written. */
export async function read(db: Db): Promise<Record<string, unknown> | null> {
  const row = await db.selectFrom('settings').select('value').where('id', '=', ROW_ID).executeTakeFirst();
  return row ? (JSON.parse(row.value) as Record<string, unknown>) : null;
}

/** Replaces the stored settings (inserting the row the first time); `db` may be a transaction. */
export async function write(db: Db, value: object, now: number): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ id: ROW_ID, value: json, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ value: json, updated_at: now }))
    .execute();
}
