/** The `users` table: one row per account; identifiers and passkeys hang off it. */
import { sql } from 'kysely';
import { type Cursor, after } from './pagination.js';
import { prepared } from './prepared.js';
import type { NewUser, UserRow } from './schema.js';
import type { Db } from './types.js';

const byIdQuery = prepared<{ id: string }, UserRow>((db, p) => db.selectFrom('users').selectAll().where('id', '=', p('id')));
// Conditional on `banned = 0`: a ban and a sign-in racing meet on this row's lock (see admin/users).
const markSignedInQuery = prepared<{ userId: string; now: number }>((db, p) =>
  db.updateTable('users').set({ last_sign_in_at: p('now'), updated_at: p('now') }).where('id', '=', p('userId')).where('banned', '=', 0),
);
const touchQuery = prepared<{ userId: string; now: number }>((db, p) =>
  db.updateTable('users').set({ updated_at: p('now') }).where('id', '=', p('userId')),
);

export async function insert(db: Db, row: NewUser): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export function byId(db: Db, id: string): Promise<UserRow | undefined> {
  return byIdQuery.first(db, { id });
}

export async function isBanned(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('banned').where('id', '=', id).executeTakeFirst())?.banned === 1;
}

/** Records a sign-in; false (nothing written) when the user is banned. */
export async function markSignedIn(db: Db, userId: string, now: number): Promise<boolean> {
  return (await markSignedInQuery.run(db, { userId, now })) === 1;
}

/**
 * Moves `updated_at` (React bindings re-render on it) and, on PostgreSQL, takes the user row's
 * lock: concurrent changes to one user's passkeys then run one after another, each seeing the
 * other's result (SQLite serializes writers anyway).
 */
export async function lockForChange(db: Db, userId: string, now: number): Promise<void> {
  await touchQuery.run(db, { userId, now });
}

export interface UserFilter {
  /** Users with an identifier (username or email) containing this, case-insensitively. */
  query?: string;
}

function filtered(db: Db, o: UserFilter) {
  let q = db.selectFrom('users');
  if (o.query) {
    // LIKE's wildcards in the search text match themselves.
    const pattern = `%${o.query.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where('id', 'in', db.selectFrom('identifiers').select('user_id').where(sql<boolean>`normalized like ${pattern} escape '\\'`));
  }
  return q;
}

/** A page of users in (created_at, id) order, `limit + 1` rows (see toPage). */
export function page(db: Db, o: UserFilter & { after: Cursor | null; limit: number }): Promise<UserRow[]> {
  let q = filtered(db, o).selectAll();
  if (o.after) q = q.where((eb) => after(eb, o.after!));
  return q.orderBy('created_at').orderBy('id').limit(o.limit + 1).execute();
}

export async function count(db: Db, o: UserFilter): Promise<number> {
  const row = await filtered(db, o).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function update(db: Db, id: string, set: Partial<Pick<UserRow, 'public_metadata' | 'private_metadata' | 'banned'>>, now: number): Promise<void> {
  await db.updateTable('users').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

/** Deletes the user; identifiers, passkeys, sessions and pending registrations cascade. */
export async function remove(db: Db, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}
