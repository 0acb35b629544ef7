/**
 * The `clients` table: one row per browser, found by the SHA-256 of its `__client` cookie (the
 * token itself is never stored). It points at the browser's current sign-in and sign-up and at
 * its last active session.
 */
import { prepared } from './prepared.js';
import type { ClientRow } from './schema.js';
import type { Db } from './types.js';

const byTokenHashQuery = prepared<{ hash: string }, ClientRow>((db, p) => db.selectFrom('clients').selectAll().where('token_hash', '=', p('hash')));
const byIdQuery = prepared<{ id: string }, ClientRow>((db, p) => db.selectFrom('clients').selectAll().where('id', '=', p('id')));
const insertQuery = prepared<ClientRow>((db, p) =>
  db.insertInto('clients').values({
    id: p('id'),
    token_hash: p('token_hash'),
    sign_in_id: p('sign_in_id'),
    sign_up_id: p('sign_up_id'),
    last_active_session_id: p('last_active_session_id'),
    created_at: p('created_at'),
    updated_at: p('updated_at'),
  }),
);
const rotateTokenQuery = prepared<{ id: string; tokenHash: string; sessionId: string; now: number }, ClientRow>((db, p) =>
  db
    .updateTable('clients')
    .set({ token_hash: p('tokenHash'), last_active_session_id: p('sessionId'), updated_at: p('now') })
    .where('id', '=', p('id'))
    .returningAll(),
);
const pointAtSignInQuery = prepared<{ id: string; signInId: string; now: number }>((db, p) =>
  db.updateTable('clients').set({ sign_in_id: p('signInId'), updated_at: p('now') }).where('id', '=', p('id')),
);
const setActiveSessionQuery = prepared<{ id: string; sessionId: string; now: number }>((db, p) =>
  db.updateTable('clients').set({ last_active_session_id: p('sessionId'), updated_at: p('now') }).where('id', '=', p('id')),
);

export function byTokenHash(db: Db, hash: string): Promise<ClientRow | undefined> {
  return byTokenHashQuery.first(db, { hash });
}

export function byId(db: Db, id: string): Promise<ClientRow | undefined> {
  return byIdQuery.first(db, { id });
}

export async function insert(db: Db, row: ClientRow): Promise<void> {
  await insertQuery.run(db, row);
}

/** A new cookie token (its hash) with `sessionId` active: done at every sign-in. Returns the row as written. */
export async function rotateToken(db: Db, o: { id: string; tokenHash: string; sessionId: string; now: number }): Promise<ClientRow> {
  const row = await rotateTokenQuery.first(db, o);
  if (!row) throw new Error(`client ${o.id} vanished during its own request`);
  return row;
}

export async function pointAtSignIn(db: Db, id: string, signInId: string, now: number): Promise<void> {
  await pointAtSignInQuery.run(db, { id, signInId, now });
}

export async function pointAtSignUp(db: Db, id: string, signUpId: string, now: number): Promise<void> {
  await db.updateTable('clients').set({ sign_up_id: signUpId, updated_at: now }).where('id', '=', id).execute();
}

export async function setActiveSession(db: Db, id: string, sessionId: string, now: number): Promise<void> {
  await setActiveSessionQuery.run(db, { id, sessionId, now });
}

/** Clears the last active session if it is one of `sessionIds` (they are ending). */
export async function clearActiveSessionIfIn(db: Db, id: string, sessionIds: string[], now: number): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .updateTable('clients')
    .set({ last_active_session_id: null, updated_at: now })
    .where('id', '=', id)
    .where('last_active_session_id', 'in', sessionIds)
    .execute();
}

/** Deletes up to `limit` clients unchanged since before `before` that have no session left; returns the count. */
export async function removeIdle(db: Db, before: number, limit: number): Promise<number> {
  const ids = db
    .selectFrom('clients')
    .select('id')
    .where('updated_at', '<', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('sessions').select('sessions.id').whereRef('sessions.client_id', '=', 'clients.id'))))
    .limit(limit);
  return Number((await db.deleteFrom('clients').where('id', 'in', ids).executeTakeFirst()).numDeletedRows);
}

/** Every client whose last active session is one of `sessionIds` forgets it (they ended elsewhere). */
export async function forgetActiveSessions(db: Db, sessionIds: string[], now: number): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.updateTable('clients').set({ last_active_session_id: null, updated_at: now }).where('last_active_session_id', 'in', sessionIds).execute();
}
