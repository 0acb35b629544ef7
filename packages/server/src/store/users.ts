/** The `users` table: one row per account; identifiers and passkeys hang off it. */
import { prepared } from './prepared.js';
import type { UserRow } from './schema.js';
import type { Db } from './types.js';

const byIdQuery = prepared<{ id: string }, UserRow>((db, p) => db.selectFrom('users').selectAll().where('id', '=', p('id')));
const markSignedInQuery = prepared<{ userId: string; now: number }>((db, p) =>
  db.updateTable('users').set({ last_sign_in_at: p('now'), updated_at: p('now') }).where('id', '=', p('userId')),
);
const touchQuery = prepared<{ userId: string; now: number }>((db, p) =>
  db.updateTable('users').set({ updated_at: p('now') }).where('id', '=', p('userId')),
);

export async function insert(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export function byId(db: Db, id: string): Promise<UserRow | undefined> {
  return byIdQuery.first(db, { id });
}

export async function markSignedIn(db: Db, userId: string, now: number): Promise<void> {
  await markSignedInQuery.run(db, { userId, now });
}

/**
 * Moves `updated_at` (React bindings re-render on it) and, on PostgreSQL, takes the user row's
 * lock: concurrent changes to one user's passkeys then run one after another, each seeing the
 * other's result (SQLite serializes writers anyway).
 */
export async function lockForChange(db: Db, userId: string, now: number): Promise<void> {
  await touchQuery.run(db, { userId, now });
}
