/**
 * The `outbox` table: messages written in the transaction of the change they report, claimed and
 * settled by dispatchers. A claim is a lease (`locked_until`) plus a token: only the claim's holder
 * may settle the message, and a message whose holder died becomes claimable when the lease ends.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { OutboxRow } from './schema.js';
import type { Db } from './types.js';

export async function insert(db: Db, row: OutboxRow): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

export function byId(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Claims up to `limit` due messages for `leaseMs` in one statement. On PostgreSQL the candidate
 * rows are locked `FOR UPDATE SKIP LOCKED`, so dispatchers in several processes claim disjoint
 * sets without waiting on each other; the outer condition is repeated so a row claimed meanwhile
 * is never taken twice. SQLite has one writer at a time, so the statement alone is atomic.
 */
export async function claimDue(
  db: Db,
  o: { topics: string[]; now: number; limit: number; leaseMs: number; token: string },
): Promise<OutboxRow[]> {
  const due = (q: any) =>
    q
      .where('status', '=', 'pending')
      .where('topic', 'in', o.topics)
      .where('available_at', '<=', o.now)
      .where((eb: any) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', o.now)]));
  let candidates = due(db.selectFrom('outbox').select('id')).orderBy('available_at').orderBy('id').limit(o.limit);
  if (db.getExecutor().adapter instanceof PostgresAdapter) candidates = candidates.forUpdate().skipLocked();
  const rows = await due(
    db
      .updateTable('outbox')
      .set({ locked_until: o.now + o.leaseMs, claim_token: o.token, attempts: sql`attempts + 1`, updated_at: o.now })
      .where('id', 'in', candidates),
  )
    .returningAll()
    .execute();
  return (rows as OutboxRow[]).sort((a, b) => a.available_at - b.available_at || (a.id < b.id ? -1 : 1));
}

/** Settles a claimed message: `done`, `failed` for good, or `pending` again from `availableAt`. */
export async function settle(
  db: Db,
  o: { id: string; token: string; status: OutboxRow['status']; availableAt?: number; error: string | null; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      status: o.status,
      locked_until: null,
      claim_token: null,
      last_error: o.error,
      updated_at: o.now,
      ...(o.availableAt !== undefined ? { available_at: o.availableAt } : {}),
    })
    .where('id', '=', o.id)
    .where('claim_token', '=', o.token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
