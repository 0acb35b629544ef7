/**
 * The `outbox` table: messages written in the transaction of the change they report, claimed and
 * settled by dispatchers. A claim is a lease (`locked_until`) plus a token: only the claim's holder
 * may settle the message, and a message whose holder died becomes claimable when the lease ends.
 */
import { PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { OutboxRow } from './schema.js';
import type { Db } from './types.js';

let inserted = 0;

/**
 * Messages this process has written (committed or not). A dispatcher compares it with what it saw
 * at its last run, so a wake-up after a request that wrote none costs no query.
 */
export function insertedCount(): number {
  return inserted;
}

/** For statements outside this module that write outbox rows (the sign-in's one statement). */
export function noteInserted(n: number): void {
  inserted += n;
}

export async function insert(db: Db, row: OutboxRow): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
  inserted++;
}

/**
 * One webhook event to every endpoint subscribed to it: a message per endpoint, id
 * `<id>_<endpoint id>`, payload `{ endpoint_id, type, body }`. The payload is joined as text around
 * the endpoint id, which is safe to inline (ids are base64url and time characters only).
 */
export interface WebhookFanOut {
  id: string;
  type: string;
  /** The event's JSON text, as it will be signed and sent. */
  body: string;
  now: number;
}

/**
 * The SELECT that makes a fan-out's rows, for `INSERT INTO outbox (OUTBOX_COLUMNS) <it>` here and in
 * the sign-in's single statement. An endpoint subscribes when its list is empty (every event) or
 * names the type; event types contain no LIKE wildcards (`%`, `_`).
 */
export function fanOutSelect(f: WebhookFanOut, onlyIf: RawBuilder<unknown> = sql`true`): RawBuilder<unknown> {
  const head = `{"endpoint_id":"`;
  const tail = `","type":${JSON.stringify(f.type)},"body":${JSON.stringify(f.body)}}`;
  return sql`select cast(${`${f.id}_`} as text) || e.id, 'webhook', cast(${head} as text) || e.id || cast(${tail} as text),
      'pending', 0, cast(${f.now} as bigint), cast(null as bigint), cast(null as text), cast(null as text), cast(${f.now} as bigint), cast(${f.now} as bigint)
    from webhook_endpoints e
    where (e.event_types = '[]' or e.event_types like ${`%${JSON.stringify(f.type)}%`}) and ${onlyIf}`;
}

export const OUTBOX_COLUMNS = sql.raw('id, topic, payload, status, attempts, available_at, locked_until, claim_token, last_error, created_at, updated_at');

/** Writes the fan-out in one statement; with no subscribed endpoint it writes nothing. */
export async function fanOut(db: Db, f: WebhookFanOut): Promise<number> {
  const result = await sql`insert into outbox (${OUTBOX_COLUMNS}) ${fanOutSelect(f)}`.execute(db);
  const n = Number(result.numAffectedRows ?? 0n);
  inserted += n;
  return n;
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
