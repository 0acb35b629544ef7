/**
 * Clients: one per browser, identified by the `__client` cookie. Only the token's hash is stored;
 * the token is replaced at every sign-in so a token planted before sign-in (session fixation)
 * is worthless after it.
 */
import type { Kysely, Transaction } from 'kysely';
import { prepared } from '../store/prepared.js';
import type { ClientRow, Database } from '../store/schema.js';
import { hashToken, newId, newToken } from '../util/ids.js';

type Db = Kysely<Database> | Transaction<Database>;

const clientByTokenHash = prepared<{ hash: string }, ClientRow>((db, p) => db.selectFrom('clients').selectAll().where('token_hash', '=', p('hash')));
const insertClient = prepared<ClientRow>((db, p) =>
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
const rotateToken = prepared<{ id: string; token_hash: string; session_id: string; now: number }>((db, p) =>
  db.updateTable('clients').set({ token_hash: p('token_hash'), last_active_session_id: p('session_id'), updated_at: p('now') }).where('id', '=', p('id')),
);
const rotateTokenEndingSignIn = prepared<{ id: string; token_hash: string; session_id: string; now: number }>((db, p) =>
  db
    .updateTable('clients')
    .set({ token_hash: p('token_hash'), last_active_session_id: p('session_id'), updated_at: p('now'), sign_in_id: null })
    .where('id', '=', p('id')),
);

export async function findClientByToken(db: Db, token: string | undefined): Promise<ClientRow | null> {
  if (!token || token.length > 128) return null;
  return (await clientByTokenHash.first(db, { hash: hashToken(token) })) ?? null;
}

/** A new client; `signInId` points it at the sign-in being created with it. */
export async function createClient(db: Db, now: number, o: { signInId?: string } = {}): Promise<{ client: ClientRow; token: string }> {
  const token = newToken();
  const client: ClientRow = {
    id: newId('client'),
    token_hash: hashToken(token),
    sign_in_id: o.signInId ?? null,
    sign_up_id: null,
    last_active_session_id: null,
    created_at: now,
    updated_at: now,
  };
  await insertClient.run(db, client);
  return { client, token };
}

/**
 * Issues a fresh token for the client and makes `sessionId` its active session. `endsSignIn`
 * also detaches the client's finished sign-in, which client objects no longer show.
 */
export async function rotateClientToken(
  db: Db,
  clientId: string,
  now: number,
  sessionId: string,
  o: { endsSignIn?: boolean } = {},
): Promise<{ token: string; changes: Partial<ClientRow> }> {
  const token = newToken();
  const values = { id: clientId, token_hash: hashToken(token), session_id: sessionId, now };
  await (o.endsSignIn ? rotateTokenEndingSignIn : rotateToken).run(db, values);
  const changes: Partial<ClientRow> = { token_hash: values.token_hash, last_active_session_id: sessionId, updated_at: now, ...(o.endsSignIn ? { sign_in_id: null } : {}) };
  return { token, changes };
}
