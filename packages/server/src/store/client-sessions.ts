/**
 * What a client snapshot reads about the browser's sessions: its active sessions, oldest first,
 * and for those the caller keeps, each owner's user row, identifiers and passkeys.
 *
 * On PostgreSQL that is one statement — the owners' rows come back as JSON aggregates beside each
 * session — so the snapshot at the end of a sign-in costs one round trip instead of three. SQLite
 * runs in process, where a round trip costs nothing: there the reads run one after another.
 */
import { PostgresAdapter, sql } from 'kysely';
import * as identifiers from './identifiers.js';
import * as passkeys from './passkeys.js';
import type { IdentifierRow, PasskeyRow, SessionRow, UserRow } from './schema.js';
import * as sessions from './sessions.js';
import type { Db } from './types.js';
import * as users from './users.js';

export interface OwnerRows {
  user: UserRow;
  identifiers: IdentifierRow[];
  passkeys: PasskeyRow[];
}

export interface ActiveWithOwners {
  /** The kept sessions whose owner exists, oldest first. */
  sessions: SessionRow[];
  owners: Map<string, OwnerRows>;
}

/**
 * The client's active sessions that `keep` accepts, with their owners. `knownUsers` are user rows
 * the caller already holds (just written): they are used as they are.
 */
export async function activeWithOwners(db: Db, clientId: string, o: { keep: (s: SessionRow) => boolean; knownUsers?: UserRow[] }): Promise<ActiveWithOwners> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return inOneStatement(db, clientId, o);
  const kept = (await sessions.activeOfClient(db, clientId)).filter(o.keep);
  const owners = new Map<string, OwnerRows>();
  // Several sessions of one browser usually belong to one user: read each user once.
  for (const userId of new Set(kept.map((s) => s.user_id))) {
    const user = o.knownUsers?.find((u) => u.id === userId) ?? (await users.byId(db, userId));
    if (!user) continue;
    owners.set(userId, { user, identifiers: await identifiers.ofUser(db, userId), passkeys: await passkeys.ofUser(db, userId) });
  }
  return { sessions: kept.filter((s) => owners.has(s.user_id)), owners };
}

type JsonPasskey = Omit<PasskeyRow, 'public_key'> & { public_key: string };

async function inOneStatement(db: Db, clientId: string, o: { keep: (s: SessionRow) => boolean; knownUsers?: UserRow[] }): Promise<ActiveWithOwners> {
  // The same rows, in the same order, as sessions.activeOfClient, users.byId, identifiers.ofUser
  // and passkeys.ofUser (client-sessions.test.ts holds the two paths to each other).
  const result = await sql<SessionRow & { owner: UserRow | null; owner_identifiers: IdentifierRow[]; owner_passkeys: JsonPasskey[] }>`
    select s.*,
      (select row_to_json(u) from users u where u.id = s.user_id) as owner,
      (select coalesce(json_agg(i order by i.created_at), '[]'::json) from identifiers i where i.user_id = s.user_id) as owner_identifiers,
      (select coalesce(json_agg(p order by p.created_at, p.id), '[]'::json) from passkeys p where p.user_id = s.user_id) as owner_passkeys
    from sessions s
    where s.client_id = ${clientId} and s.status = 'active'
    order by s.created_at asc`.execute(db);
  const kept: SessionRow[] = [];
  const owners = new Map<string, OwnerRows>();
  for (const { owner, owner_identifiers, owner_passkeys, ...session } of result.rows) {
    if (!o.keep(session)) continue;
    if (!owners.has(session.user_id)) {
      const user = o.knownUsers?.find((u) => u.id === session.user_id) ?? owner;
      if (!user) continue;
      owners.set(session.user_id, {
        user,
        identifiers: owner_identifiers,
        // JSON carries bytea as `\x` and hex digits.
        passkeys: owner_passkeys.map((p) => ({ ...p, public_key: Buffer.from(p.public_key.slice(2), 'hex') })),
      });
    }
    kept.push(session);
  }
  return { sessions: kept, owners };
}
