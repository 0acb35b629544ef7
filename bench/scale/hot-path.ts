/**
 * The statements of a discoverable sign-in and its token mint, as the server's own repositories
 * (packages/server/src/store) compile them — not copies of their SQL, so the benchmark cannot
 * drift from the server. Each repository call runs once against the database inside a
 * transaction that is rolled back, and Kysely's query log records the SQL and values it sent.
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import * as clients from '../../packages/server/src/store/clients.js';
import * as identifiers from '../../packages/server/src/store/identifiers.js';
import * as passkeys from '../../packages/server/src/store/passkeys.js';
import type { Database } from '../../packages/server/src/store/schema.js';
import * as sessions from '../../packages/server/src/store/sessions.js';
import * as signIns from '../../packages/server/src/store/sign-ins.js';
import * as users from '../../packages/server/src/store/users.js';

export interface HotPathInput {
  credentialId: string;
  userId: string;
  username: string;
  passkeyId: string;
  counter: number;
  client: { id: string; token_hash: string };
  sessionId: string;
  signInId: string;
}

/** Name → the statement one repository call sent, with its values. */
export async function hotPathStatements(url: string, m: HotPathInput): Promise<[string, string, unknown[]][]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  let last: CompiledQuery | null = null;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      last = event.query;
    },
  });
  const now = Date.now();
  const calls: [string, (trx: Kysely<Database>) => Promise<unknown>][] = [
    ['passkey + user by credential id', (t) => passkeys.withOwnerByCredentialId(t, m.credentialId)],
    ['client by token hash', (t) => clients.byTokenHash(t, m.client.token_hash)],
    ['live sessions of client', (t) => sessions.activeOfClient(t, m.client.id)],
    ['session by id + client', (t) => sessions.ofClient(t, m.client.id, m.sessionId)],
    ['sign-in by id + client', (t) => signIns.ofClient(t, m.client.id, m.signInId)],
    ['identifiers of user', (t) => identifiers.ofUser(t, m.userId)],
    ['passkeys of user', (t) => passkeys.ofUser(t, m.userId)],
    ['user by identifier', (t) => identifiers.userIdOf(t, 'username', m.username.toLowerCase())],
    ['passkey counter compare-and-set', (t) => passkeys.advanceCounter(t, { id: m.passkeyId, expected: m.counter, counter: m.counter + 1, backupState: false, now })],
    ['user last sign-in', (t) => users.markSignedIn(t, m.userId, now)],
    ['sign-in completed', (t) => signIns.complete(t, { id: m.signInId, userId: m.userId, sessionId: m.sessionId, strategy: 'passkey', now })],
    ['client token rotation', (t) => clients.rotateToken(t, { id: m.client.id, tokenHash: `bench-${now}`, sessionId: m.sessionId, now })],
  ];
  const out: [string, string, unknown[]][] = [];
  const rollback = new Error('rollback');
  try {
    await db.transaction().execute(async (trx) => {
      for (const [name, call] of calls) {
        last = null;
        await call(trx).catch(() => undefined); // a missing row still shows its statement
        const q = last as CompiledQuery | null;
        if (q) out.push([name, q.sql, [...q.parameters]]);
      }
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  } finally {
    await db.destroy();
  }
  return out;
}
