/** Counts for the dashboard's overview: read-only aggregates over users, passkeys and the audit log. */
import type { Db } from './types.js';

const n = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

export async function counts(db: Db): Promise<{ users: number; passkeys: number; synced: number }> {
  const users = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const passkeys = await db
    .selectFrom('passkeys')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('backup_eligible').as('synced')])
    .executeTakeFirstOrThrow();
  return { users: n(users.n), passkeys: n(passkeys.n), synced: n(passkeys.synced) };
}

/** The `created_at` of events of `types` since `since` (at most `limit`, newest first). */
export function eventTimes(db: Db, types: string[], since: number, limit: number): Promise<{ type: string; created_at: number; data: string }[]> {
  return db
    .selectFrom('audit_events')
    .select(['type', 'created_at', 'data'])
    .where('type', 'in', types)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Where each of a user's sessions was created: the IP and user agent of its `session.created` event. */
export function sessionOrigins(db: Db, userId: string): Promise<{ data: string; ip: string | null; user_agent: string | null }[]> {
  return db.selectFrom('audit_events').select(['data', 'ip', 'user_agent']).where('user_id', '=', userId).where('type', '=', 'session.created').execute();
}
