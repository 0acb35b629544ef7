/**
 * A passkey being added exists only as its registration challenge (`challenges` rows of kind
 * `passkey_registration`, keyed by the pending passkey's id) until its attestation verifies.
 * Repository functions for that pending state; `db` may be a transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Drops the pending passkey `passkeyId` if `userId` started it on `clientId`; true if there was
 * one. Bound to both, like the challenge itself: nobody else can cancel someone's registration.
 */
export async function dropPendingPasskey(db: Db, o: { passkeyId: string; userId: string; clientId: string }): Promise<boolean> {
  const r = await db
    .deleteFrom('challenges')
    .where('kind', '=', 'passkey_registration')
    .where('resource_id', '=', o.passkeyId)
    .where('user_id', '=', o.userId)
    .where('client_id', '=', o.clientId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
