/**
 * Clients: one per browser, identified by the `__client` cookie. Only the token's hash is stored;
 * the token is replaced at every sign-in so a token planted before sign-in (session fixation)
 * is worthless after it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ClientRow, Database } from '../store/schema.js';
import { hashToken, newId, newToken } from '../util/ids.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function findClientByToken(db: Db, token: string | undefined): Promise<ClientRow | null> {
  if (!token || token.length > 128) return null;
  return (await db.selectFrom('clients').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst()) ?? null;
}

export async function createClient(db: Db, now: number): Promise<{ client: ClientRow; token: string }> {
  const token = newToken();
  const client: ClientRow = {
    id: newId('client'),
    token_hash: hashToken(token),
    sign_in_id: null,
    sign_up_id: null,
    last_active_session_id: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('clients').values(client).execute();
  return { client, token };
}

/**
 * Issues a fresh token for the client and makes `sessionId` its active session. `endsSignIn`
 * also detaches the client's finished sign-in, which client objects no longer show.
 */
export async function rotateClientToken(db: Db, clientId: string, now: number, sessionId: string, o: { endsSignIn?: boolean } = {}): Promise<string> {
  const token = newToken();
  await db
    .updateTable('clients')
    .set({ token_hash: hashToken(token), last_active_session_id: sessionId, updated_at: now, ...(o.endsSignIn ? { sign_in_id: null } : {}) })
    .where('id', '=', clientId)
    .execute();
  return token;
}
