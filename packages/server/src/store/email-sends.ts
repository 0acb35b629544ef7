/** The `email_sends` table: one row per code sent, counted for the resend limits. */
import type { Db } from './types.js';

export async function insert(db: Db, row: { id: string; address: string; ip: string; created_at: number }): Promise<void> {
  await db.insertInto('email_sends').values(row).execute();
}

/** Codes sent since `since` to `address` and from `ip`. */
export async function countSince(db: Db, o: { address: string; ip: string; since: number }): Promise<{ address: number; ip: number }> {
  const count = async (column: 'address' | 'ip', value: string) =>
    Number(
      (
        await db
          .selectFrom('email_sends')
          .select((eb) => eb.fn.countAll().as('n'))
          .where(column, '=', value)
          .where('created_at', '>', o.since)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { address: await count('address', o.address), ip: await count('ip', o.ip) };
}

/** Forgets sends older than `before` (they no longer count). */
export async function removeBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('email_sends').where('created_at', '<', before).execute();
}
