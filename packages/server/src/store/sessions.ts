/** The `sessions` table: a user signed in on a client, with its status and activity. */
import { type Cursor, after } from './pagination.js';
import { prepared } from './prepared.js';
import type { SessionRow } from './schema.js';
import type { Db } from './types.js';

const insertQuery = prepared<SessionRow>((db, p) =>
  db.insertInto('sessions').values({
    id: p('id'),
    client_id: p('client_id'),
    user_id: p('user_id'),
    status: p('status'),
    last_active_at: p('last_active_at'),
    expire_at: p('expire_at'),
    created_at: p('created_at'),
    updated_at: p('updated_at'),
  }),
);
const activeOfClientQuery = prepared<{ clientId: string }, SessionRow>((db, p) =>
  db.selectFrom('sessions').selectAll().where('client_id', '=', p('clientId')).where('status', '=', 'active').orderBy('created_at', 'asc'),
);
const ofClientQuery = prepared<{ id: string; clientId: string }, SessionRow>((db, p) =>
  db.selectFrom('sessions').selectAll().where('id', '=', p('id')).where('client_id', '=', p('clientId')),
);
const touchQuery = prepared<{ id: string; now: number }>((db, p) =>
  db.updateTable('sessions').set({ last_active_at: p('now'), updated_at: p('now') }).where('id', '=', p('id')),
);

export async function insert(db: Db, row: SessionRow): Promise<void> {
  await insertQuery.run(db, row);
}

/** Sessions whose status is still `active` (lifetimes are checked by the caller). */
export function activeOfClient(db: Db, clientId: string): Promise<SessionRow[]> {
  return activeOfClientQuery.all(db, { clientId });
}

export function ofClient(db: Db, clientId: string, id: string): Promise<SessionRow | undefined> {
  return ofClientQuery.first(db, { id, clientId });
}

/** Marks a session limited (signed in with a recovery code) or lifts the mark (0 once it added a passkey). */
export async function setLimited(db: Db, id: string, limited: 0 | 1, now: number): Promise<void> {
  await db.updateTable('sessions').set({ limited, updated_at: now }).where('id', '=', id).execute();
}

export async function markExpired(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ status: 'expired', updated_at: now }).where('id', '=', id).where('status', '=', 'active').execute();
}

export async function touch(db: Db, id: string, now: number): Promise<void> {
  await touchQuery.run(db, { id, now });
}

/** Ends the client's sessions `ids`; returns the ended rows (their users, for the audit log). */
export async function end(db: Db, clientId: string, ids: string[], now: number): Promise<{ id: string; user_id: string }[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable('sessions')
    .set({ status: 'ended', updated_at: now })
    .where('client_id', '=', clientId)
    .where('id', 'in', ids)
    .returning(['id', 'user_id'])
    .execute();
}

export function byId(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SessionFilter {
  userId?: string;
  clientId?: string;
  status?: SessionRow['status'];
}

function filtered(db: Db, o: SessionFilter) {
  let q = db.selectFrom('sessions');
  if (o.userId) q = q.where('user_id', '=', o.userId);
  if (o.clientId) q = q.where('client_id', '=', o.clientId);
  if (o.status) q = q.where('status', '=', o.status);
  return q;
}

/** A page of sessions in (created_at, id) order, `limit + 1` rows (see toPage). */
export function page(db: Db, o: SessionFilter & { after: Cursor | null; limit: number }): Promise<SessionRow[]> {
  let q = filtered(db, o).selectAll();
  if (o.after) q = q.where((eb) => after(eb, o.after!));
  return q.orderBy('created_at').orderBy('id').limit(o.limit + 1).execute();
}

export async function count(db: Db, o: SessionFilter): Promise<number> {
  return Number((await filtered(db, o).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
}

/** Revokes the given sessions that are still active; returns the ids it revoked. */
export async function revoke(db: Db, where: { ids?: string[]; userId?: string }, now: number): Promise<SessionRow[]> {
  let q = db.updateTable('sessions').set({ status: 'revoked', updated_at: now }).where('status', '=', 'active');
  if (where.ids) q = q.where('id', 'in', where.ids);
  if (where.userId) q = q.where('user_id', '=', where.userId);
  return q.returningAll().execute();
}

/**
 * Deletes up to `limit` sessions that are over: ended, revoked or expired before `endedBefore`;
 * past their absolute lifetime before `endedBefore`; or still marked active but idle since
 * before `idleBefore`. Returns the count.
 */
export async function removeOver(db: Db, o: { endedBefore: number; idleBefore: number }, limit: number): Promise<number> {
  const ids = db
    .selectFrom('sessions')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '!=', 'active'), eb('updated_at', '<', o.endedBefore)]),
        eb('expire_at', '<', o.endedBefore),
        eb.and([eb('status', '=', 'active'), eb('last_active_at', '<', o.idleBefore)]),
      ]),
    )
    .limit(limit);
  return Number((await db.deleteFrom('sessions').where('id', 'in', ids).executeTakeFirst()).numDeletedRows);
}

export function byIds(db: Db, ids: string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('sessions').selectAll().where('id', 'in', ids).execute();
}

/** The user's sessions still marked `active`, on every client, most recently used first. */
export function activeOfUser(db: Db, userId: string): Promise<SessionRow[]> {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('status', '=', 'active').orderBy('last_active_at', 'desc').orderBy('id').execute();
}

export function ofUser(db: Db, userId: string, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Whether this user had a session on this client before (any status, other than `except`): the
 * test for "a new device" (email/notices.ts). Sessions swept after their grace period no longer
 * count, so a browser unused for longer than that is new again.
 */
export async function hadSessionOnClient(db: Db, o: { userId: string; clientId: string; except: string }): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('client_id', '=', o.clientId)
    .where('user_id', '=', o.userId)
    .where('id', '!=', o.except)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
