/**
 * The `signing_keys` table: session-token keys in slots. `current` signs, `previous` is still
 * published in the JWKS, null is retired; the slot column is unique, so there is one of each.
 */
import type { SigningKeysTable } from './schema.js';
import type { Db } from './types.js';

export type SigningKeyRow = SigningKeysTable;

export function current(db: Db): Promise<SigningKeyRow | undefined> {
  return db.selectFrom('signing_keys').selectAll().where('slot', '=', 'current').executeTakeFirst();
}

/** The public keys of the current and previous slots, the signing key first. */
export async function publishedPublicKeys(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .select(['public_jwk'])
    .where('slot', 'in', ['current', 'previous'])
    // 'current' sorts before 'previous'.
    .orderBy('slot', 'asc')
    .execute();
  return rows.map((r) => r.public_jwk);
}

/** Stores the first key, unless another process stored one first. */
export async function insertFirst(db: Db, row: SigningKeyRow): Promise<void> {
  await db.insertInto('signing_keys').values(row).onConflict((oc) => oc.column('slot').doNothing()).execute();
}

/** current → previous, previous → retired, `row` → current. Run it in a transaction. */
export async function rotateTo(db: Db, row: SigningKeyRow): Promise<void> {
  await db.updateTable('signing_keys').set({ slot: null }).where('slot', '=', 'previous').execute();
  await db.updateTable('signing_keys').set({ slot: 'previous' }).where('slot', '=', 'current').execute();
  await db.insertInto('signing_keys').values(row).execute();
}
