/** The `identifiers` table: usernames and email addresses, unique by (type, normalized value). */
import { prepared } from './prepared.js';
import type { Insertable } from 'kysely';
import type { IdentifierRow, IdentifiersTable } from './schema.js';
import type { Db } from './types.js';

const userIdOfQuery = prepared<{ type: IdentifiersTable['type']; normalized: string }, { user_id: string }>((db, p) =>
  db.selectFrom('identifiers').select('user_id').where('type', '=', p('type')).where('normalized', '=', p('normalized')),
);
const ofUserQuery = prepared<{ userId: string }, IdentifierRow>((db, p) =>
  db.selectFrom('identifiers').selectAll().where('user_id', '=', p('userId')).orderBy('created_at'),
);

/** The owner of an identifier, by its normalized value. */
export async function userIdOf(db: Db, type: IdentifiersTable['type'], normalized: string): Promise<string | null> {
  return (await userIdOfQuery.first(db, { type, normalized }))?.user_id ?? null;
}

export function ofUser(db: Db, userId: string): Promise<IdentifierRow[]> {
  return ofUserQuery.all(db, { userId });
}

/** Throws the engine's unique violation when the identifier is taken (see isUniqueViolation). */
export async function insert(db: Db, row: Insertable<IdentifiersTable>): Promise<void> {
  await db.insertInto('identifiers').values(row).execute();
}

/** The identifiers of several users at once (a page of users), in creation order. */
export function ofUsers(db: Db, userIds: string[]): Promise<IdentifierRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('identifiers').selectAll().where('user_id', 'in', userIds).orderBy('created_at').orderBy('id').execute();
}

/** Removes the user's identifier of this type (a user has at most one of each). */
export async function removeOfType(db: Db, userId: string, type: IdentifiersTable['type']): Promise<void> {
  await db.deleteFrom('identifiers').where('user_id', '=', userId).where('type', '=', type).execute();
}

/** Replaces an identifier's value (a profile edit); throws the engine's unique violation when taken. */
export async function replaceValue(db: Db, id: string, value: string, normalized: string): Promise<void> {
  await db.updateTable('identifiers').set({ value, normalized }).where('id', '=', id).execute();
}

/**
 * The user's first verified email address (where codes and notices go), or undefined. Runs for an
 * unknown identifier too (with an id no user has), so both cost the same.
 */
export function verifiedEmailOf(db: Db, userId: string): Promise<IdentifierRow | undefined> {
  return db
    .selectFrom('identifiers')
    .selectAll()
    .where('user_id', '=', userId)
    .where('type', '=', 'email_address')
    .where('verified_at', 'is not', null)
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** That identifier, if it is a verified email address of this user. */
export function verifiedEmailById(db: Db, userId: string, id: string): Promise<IdentifierRow | undefined> {
  return db
    .selectFrom('identifiers')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('type', '=', 'email_address')
    .where('verified_at', 'is not', null)
    .executeTakeFirst();
}
