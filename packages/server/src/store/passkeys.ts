/** The `passkeys` table: registered credentials, their public keys, counters and names. */
import { prepared } from './prepared.js';
import type { PasskeyRow } from './schema.js';
import type { Db } from './types.js';

/** A passkey with its owner's row (the sign-in hot path reads both in one query). */
export type PasskeyWithOwner = PasskeyRow & {
  user_handle: string;
  user_created_at: number;
  user_updated_at: number;
  user_public_metadata: string;
  user_private_metadata: string;
  user_last_sign_in_at: number | null;
};
export type Descriptor = Pick<PasskeyRow, 'credential_id' | 'transports'>;

// The sign-in hot path: credential and its owner's user handle in one query.
const withOwnerQuery = prepared<{ credentialId: string }, PasskeyWithOwner>((db, p) =>
  db
    .selectFrom('passkeys')
    .innerJoin('users', 'users.id', 'passkeys.user_id')
    .selectAll('passkeys')
    .select(['users.user_handle', 'users.created_at as user_created_at', 'users.updated_at as user_updated_at', 'users.last_sign_in_at as user_last_sign_in_at', 'users.public_metadata as user_public_metadata', 'users.private_metadata as user_private_metadata'])
    .where('passkeys.credential_id', '=', p('credentialId')),
);
const advanceCounterQuery = prepared<{ id: string; expected: number; counter: number; backupState: number; now: number }>((db, p) =>
  db
    .updateTable('passkeys')
    .set({ counter: p('counter'), backup_state: p('backupState'), last_used_at: p('now'), updated_at: p('now') })
    .where('id', '=', p('id'))
    .where('counter', '=', p('expected')),
);
const ofUserQuery = prepared<{ userId: string }, PasskeyRow>((db, p) =>
  db.selectFrom('passkeys').selectAll().where('user_id', '=', p('userId')).orderBy('created_at').orderBy('id'),
);
const descriptorsQuery = prepared<{ userId: string }, Descriptor>((db, p) =>
  db.selectFrom('passkeys').select(['credential_id', 'transports']).where('user_id', '=', p('userId')),
);
const countQuery = prepared<{ userId: string }, { n: number | string }>((db, p) =>
  db.selectFrom('passkeys').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', p('userId')),
);

export function withOwnerByCredentialId(db: Db, credentialId: string): Promise<PasskeyWithOwner | undefined> {
  return withOwnerQuery.first(db, { credentialId });
}

/** Compare-and-set on the counter: of two valid assertions racing, only one moves it. True if it did. */
export async function advanceCounter(
  db: Db,
  o: { id: string; expected: number; counter: number; backupState: boolean; now: number },
): Promise<boolean> {
  const changed = await advanceCounterQuery.run(db, { ...o, backupState: o.backupState ? 1 : 0 });
  return changed === 1;
}

export function ofUser(db: Db, userId: string): Promise<PasskeyRow[]> {
  return ofUserQuery.all(db, { userId });
}

/** What allowCredentials / excludeCredentials list for a user. */
export function descriptorsOfUser(db: Db, userId: string): Promise<Descriptor[]> {
  return descriptorsQuery.all(db, { userId });
}

export async function countOfUser(db: Db, userId: string): Promise<number> {
  return Number((await countQuery.first(db, { userId }))?.n ?? 0);
}

export async function isCredentialRegistered(db: Db, credentialId: string): Promise<boolean> {
  return (await db.selectFrom('passkeys').select('id').where('credential_id', '=', credentialId).executeTakeFirst()) !== undefined;
}

export function ownedBy(db: Db, userId: string, id: string): Promise<PasskeyRow | undefined> {
  return db.selectFrom('passkeys').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** Throws the engine's unique violation for a credential id registered already. */
export async function insert(db: Db, row: PasskeyRow): Promise<void> {
  await db.insertInto('passkeys').values(row).execute();
}

export async function rename(db: Db, id: string, name: string, now: number): Promise<void> {
  await db.updateTable('passkeys').set({ name, updated_at: now }).where('id', '=', id).execute();
}

export async function remove(db: Db, userId: string, id: string): Promise<void> {
  await db.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).execute();
}

/** The passkeys of several users at once (a page of users). */
export function ofUsers(db: Db, userIds: string[]): Promise<PasskeyRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('passkeys').selectAll().where('user_id', 'in', userIds).orderBy('created_at').orderBy('id').execute();
}

/** The names of the user's passkeys (a new one's default name must differ from them). */
export async function namesOfUser(db: Db, userId: string): Promise<string[]> {
  return (await db.selectFrom('passkeys').select('name').where('user_id', '=', userId).execute()).map((r) => r.name);
}
