/** The `secrets` table: per-instance secrets made at first start (e.g. the decoy-credential key). */
import type { Db } from './types.js';

/** The secret `name`, stored as `candidate` if there is none yet (the first of racing processes wins). */
export async function loadOrCreate(db: Db, name: string, candidate: string, now: number): Promise<string> {
  await db
    .insertInto('secrets')
    .values({ name, value: candidate, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
