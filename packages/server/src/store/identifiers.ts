/** The `identifiers` table: usernames and email addresses, unique by (type, normalized value). */
import { prepared } from './prepared.js';
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
export async function insert(db: Db, row: IdentifierRow): Promise<void> {
  await db.insertInto('identifiers').values(row).execute();
}
