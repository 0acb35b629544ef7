/**
 * Challenges are single use: `consumeChallenge` deletes the row and returns it in one statement
 * (DELETE … RETURNING), so of any number of concurrent attempts exactly one gets it — on SQLite
 * and on PostgreSQL, in one process or many. It is consumed before verification, so a failed
 * attempt uses it up too. A challenge is bound to its ceremony kind, its resource and the client
 * it was issued to.
 */
import type { Kysely, Transaction } from 'kysely';
import { errors } from '../errors/index.js';
import { prepared } from '../store/prepared.js';
import type { ChallengeKind, ChallengeRow, Database } from '../store/schema.js';
import { newId } from '../util/ids.js';
import { CEREMONY_TIMEOUT_MS } from './options.js';

type Db = Kysely<Database> | Transaction<Database>;

const deleteOfResource = prepared<{ resourceId: string }>((db, p) => db.deleteFrom('challenges').where('resource_id', '=', p('resourceId')));
const deleteExpired = prepared<{ before: number }>((db, p) => db.deleteFrom('challenges').where('expires_at', '<', p('before')));
const insertChallenge = prepared<ChallengeRow>((db, p) =>
  db.insertInto('challenges').values({
    id: p('id'),
    kind: p('kind'),
    client_id: p('client_id'),
    resource_id: p('resource_id'),
    user_id: p('user_id'),
    challenge: p('challenge'),
    allow_credentials: p('allow_credentials'),
    context: p('context'),
    expires_at: p('expires_at'),
    created_at: p('created_at'),
  }),
);
const takeChallenge = prepared<{ kind: ChallengeKind; clientId: string; resourceId: string }, ChallengeRow>((db, p) =>
  db
    .deleteFrom('challenges')
    .where('resource_id', '=', p('resourceId'))
    .where('kind', '=', p('kind'))
    .where('client_id', '=', p('clientId'))
    .returningAll(),
);

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
  },
): Promise<ChallengeRow> {
  // A new prepare replaces any earlier challenge of the same resource, and we sweep expired ones.
  await deleteOfResource.run(db, { resourceId: o.resourceId });
  await deleteExpired.run(db, { before: o.now - CEREMONY_TIMEOUT_MS });
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
  await insertChallenge.run(db, row);
  return row;
}

/** Takes the challenge out of the store; throws `verification_expired` if it is gone or stale. */
export async function consumeChallenge(
  db: Db,
  o: { kind: ChallengeKind; clientId: string; resourceId: string; now: number },
): Promise<ChallengeRow> {
  const row = await takeChallenge.first(db, o);
  if (!row || row.expires_at <= o.now) throw errors.verificationExpired();
  return row;
}
