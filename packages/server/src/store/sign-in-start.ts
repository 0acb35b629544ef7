/**
 * The first write of a browser that has no client yet: its client row and the sign-in it starts,
 * all or nothing. On PostgreSQL that is one statement (a data-modifying CTE), one round trip
 * instead of four (BEGIN, two INSERTs, COMMIT). SQLite runs in process, where a round trip costs
 * nothing and writable CTEs do not exist: there the two inserts share a transaction.
 */
import { PostgresAdapter } from 'kysely';
import * as clients from './clients.js';
import { prepared } from './prepared.js';
import type { ClientRow, SignInRow } from './schema.js';
import * as signIns from './sign-ins.js';
import type { Db } from './types.js';

/** The sign-in's columns, and the client's under `client_` (its id is the sign-in's `client_id`). */
type Params = SignInRow & {
  client_token_hash: string;
  client_sign_in_id: string | null;
  client_sign_up_id: string | null;
  client_last_active_session_id: string | null;
  client_created_at: number;
  client_updated_at: number;
};

const insertBothQuery = prepared<Params>((db, p) =>
  db
    .with('client', (w) =>
      w.insertInto('clients').values({
        id: p('client_id'),
        token_hash: p('client_token_hash'),
        sign_in_id: p('client_sign_in_id'),
        sign_up_id: p('client_sign_up_id'),
        last_active_session_id: p('client_last_active_session_id'),
        created_at: p('client_created_at'),
        updated_at: p('client_updated_at'),
      }),
    )
    .insertInto('sign_ins')
    .values(signIns.insertValues(p)),
);

/** Writes a new client and its sign-in. `db` is the database, not a transaction: this makes its own. */
export async function insertWithNewClient(db: Db, o: { client: ClientRow; signIn: SignInRow }): Promise<void> {
  const { client, signIn } = o;
  if (client.id !== signIn.client_id) throw new Error('the sign-in belongs to another client');
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await insertBothQuery.run(db, {
      ...signIn,
      client_token_hash: client.token_hash,
      client_sign_in_id: client.sign_in_id,
      client_sign_up_id: client.sign_up_id,
      client_last_active_session_id: client.last_active_session_id,
      client_created_at: client.created_at,
      client_updated_at: client.updated_at,
    });
    return;
  }
  await db.transaction().execute(async (trx) => {
    await clients.insert(trx, client);
    await signIns.insert(trx, signIn);
  });
}
