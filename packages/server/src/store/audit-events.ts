/** The `audit_events` table: append-only, written in the transaction of the change it records. */
import { prepared } from './prepared.js';
import type { AuditEventRow } from './schema.js';
import type { Db } from './types.js';

export type NewAuditEvent = Omit<AuditEventRow, 'id'>;

const COLUMNS = ['type', 'user_id', 'client_id', 'data', 'created_at', 'actor_type', 'actor_id', 'ip', 'user_agent'] as const;

/** An INSERT of `rows` events, compiled once; row i's values are named `<column><i>`. */
function insertRows(rows: number) {
  return prepared<Record<string, unknown>>((db, p) =>
    db.insertInto('audit_events').values(
      Array.from({ length: rows }, (_, i) => Object.fromEntries(COLUMNS.map((c) => [c, p(`${c}${i}`)])) as unknown as NewAuditEvent),
    ),
  );
}

const insertOne = insertRows(1);
/** A sign-in records two events (its session and itself): that statement is compiled once too. */
const insertTwo = insertRows(2);

function named(events: NewAuditEvent[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  events.forEach((e, i) => {
    for (const c of COLUMNS) params[`${c}${i}`] = e[c];
  });
  return params;
}

export async function append(db: Db, event: NewAuditEvent): Promise<void> {
  await insertOne.run(db, named([event]));
}

/** Several events in one statement. */
export async function appendAll(db: Db, events: NewAuditEvent[]): Promise<void> {
  if (events.length === 1) await insertOne.run(db, named(events));
  else if (events.length === 2) await insertTwo.run(db, named(events));
  else if (events.length > 2) await db.insertInto('audit_events').values(events).execute();
}

export interface AuditFilter {
  userId?: string;
  type?: string;
  /** Inclusive lower bound on `created_at` (Unix ms). */
  since?: number;
  /** Exclusive upper bound on `created_at`. */
  until?: number;
}

function filtered(db: Db, o: AuditFilter) {
  let q = db.selectFrom('audit_events');
  if (o.userId) q = q.where('user_id', '=', o.userId);
  if (o.type) q = q.where('type', '=', o.type);
  if (o.since !== undefined) q = q.where('created_at', '>=', o.since);
  if (o.until !== undefined) q = q.where('created_at', '<', o.until);
  return q;
}

/**
 * A page of events in id order (the order they were appended), `limit + 1` rows. The id is the
 * cursor: it only grows, so events appended while a reader pages land after its position.
 */
export function page(db: Db, o: AuditFilter & { afterId: number | null; limit: number; newestFirst?: boolean }): Promise<AuditEventRow[]> {
  let q = filtered(db, o).selectAll();
  // Newest first (the dashboard): the cursor is the last id seen, and the next page lies below it.
  if (o.afterId !== null) q = q.where('id', o.newestFirst ? '<' : '>', o.afterId);
  return q.orderBy('id', o.newestFirst ? 'desc' : 'asc').limit(o.limit + 1).execute();
}

export async function count(db: Db, o: AuditFilter): Promise<number> {
  return Number((await filtered(db, o).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
}

/** Deletes up to `limit` events older than `before`; returns how many it deleted. */
export async function removeOlderThan(db: Db, before: number, limit: number): Promise<number> {
  const ids = db.selectFrom('audit_events').select('id').where('created_at', '<', before).orderBy('id').limit(limit);
  const r = await db.deleteFrom('audit_events').where('id', 'in', ids).executeTakeFirst();
  return Number(r.numDeletedRows);
}
