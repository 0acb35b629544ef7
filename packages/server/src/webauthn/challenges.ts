/**
 * Challenges are single use: `consumeChallenge` deletes the row and returns it in one statement
 * (DELETE … RETURNING), so of any number of concurrent attempts exactly one gets it — on SQLite
 * and on PostgreSQL, in one process or many. It is consumed before verification, so a failed
 * attempt uses it up too. A challenge is bound to its ceremony kind, its resource and the client
 * it was issued to.
 */
import type { Kysely, Transaction } from 'kysely';
import { errors } from '../errors/index.js';
import type { ChallengeKind, ChallengeRow, Database } from '../store/schema.js';
import { newId } from '../util/ids.js';
import { CEREMONY_TIMEOUT_MS } from './options.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function issueChallenge(
  db: Db,
  o: {
    kind: ChallengeKind;
    clientId: string;
    resourceId: string;
    userId: string | null;
    challenge: string;
    allowCredentials?: string[];
    context?: Record<string, unknown>;
    now: number;
    /** The resource was created in this transaction, so it has no earlier challenge to replace. */
    fresh?: boolean;
  },
): Promise<ChallengeRow> {
  // A new prepare replaces any earlier challenge of the same resource, and we sweep expired ones.
  if (!o.fresh) await db.deleteFrom('challenges').where('resource_id', '=', o.resourceId).execute();
  await db.deleteFrom('challenges').where('expires_at', '<', o.now - CEREMONY_TIMEOUT_MS).execute();
  const row: ChallengeRow = {
    id: newId('chl'),
    kind: o.kind,
    client_id: o.clientId,
    resource_id: o.resourceId,
    user_id: o.userId,
    challenge: o.challenge,
    allow_credentials: o.allowCredentials ? JSON.stringify(o.allowCredentials) : null,
    context: o.context ? JSON.stringify(o.context) : null,
    expires_at: o.now + CEREMONY_TIMEOUT_MS,
    created_at: o.now,
  };
  await db.insertInto('challenges').values(row).execute();
  return row;
}

/** Takes the challenge out of the store; throws `verification_expired` if it is gone or stale. */
export async function consumeChallenge(
  db: Db,
  o: { kind: ChallengeKind; clientId: string; resourceId: string; now: number },
): Promise<ChallengeRow> {
  const row = await db
    .deleteFrom('challenges')
    .where('resource_id', '=', o.resourceId)
    .where('kind', '=', o.kind)
    .where('client_id', '=', o.clientId)
    .returningAll()
    .executeTakeFirst();
  if (!row || row.expires_at <= o.now) throw errors.verificationExpired();
  return row;
}
