/** The `recovery_attempts` table: one row per failed recovery-code attempt, for the limits. */
import type { Db } from './types.js';

export async function insert(db: Db, row: { id: string; subject: string; ip: string; created_at: number }): Promise<void> {
  await db.insertInto('recovery_attempts').values(row).execute();
}

/** Failures since `since` for `subject` and from `ip`, and the oldest of each (for Retry-After). */
export async function countSince(db: Db, o: { subject: string; ip: string; since: number }): Promise<{ subject: number; ip: number; oldestSubject: number | null; oldestIp: number | null }> {
  const count = async (column: 'subject' | 'ip', value: string) => {
    const row = await db
      .selectFrom('recovery_attempts')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
      .where(column, '=', value)
      .where('created_at', '>', o.since)
      .executeTakeFirstOrThrow();
    return { n: Number(row.n), oldest: row.oldest === null ? null : Number(row.oldest) };
  };
  const s = await count('subject', o.subject);
  const i = await count('ip', o.ip);
  return { subject: s.n, ip: i.n, oldestSubject: s.oldest, oldestIp: i.oldest };
}

/** Forgets failures older than `before` (they no longer count). */
export async function removeBefore(db: Db, before: number): Promise<void> {
  await db.deleteFrom('recovery_attempts').where('created_at', '<', before).execute();
}
