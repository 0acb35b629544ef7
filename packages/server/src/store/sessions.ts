/** The `sessions` table: a user signed in on a client, with its status and activity. */
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

export async function markExpired(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ status: 'expired', updated_at: now }).where('id', '=', id).where('status', '=', 'active').execute();
}

export async function touch(db: Db, id: string, now: number): Promise<void> {
  await touchQuery.run(db, { id, now });
}

export async function end(db: Db, clientId: string, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('sessions').set({ status: 'ended', updated_at: now }).where('client_id', '=', clientId).where('id', 'in', ids).execute();
}

export function byIds(db: Db, ids: string[]): Promise<SessionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('sessions').selectAll().where('id', 'in', ids).execute();
}
