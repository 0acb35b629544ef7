/**
 * The sign-in's statements, as the repositories compile them, must each find their rows through
 * an index on SQLite: a plan that scans a table, or picks an index that matches most rows, makes
 * every sign-in cost more as the instance grows. (0006 added an index on `sessions.status`, which
 * SQLite chose over `sessions_client_id`: every sign-in read all active sessions. 0009 drops it.)
 * PostgreSQL's plans depend on its statistics; bench/scale measures those at a million users.
 */
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { freshStore } from '../../test/support/database.js';
import * as clients from './clients.js';
import * as identifiers from './identifiers.js';
import { migrateToLatest } from './migrations.js';
import * as passkeys from './passkeys.js';
import * as sessions from './sessions.js';
import * as signIns from './sign-ins.js';
import type { Db } from './types.js';
import * as users from './users.js';

const now = 1_800_000_000_000;
const calls: [string, (db: Db) => Promise<unknown>][] = [
  ['passkey + owner by credential id', (db) => passkeys.withOwnerByCredentialId(db, 'cred')],
  ['client by token hash', (db) => clients.byTokenHash(db, 'hash')],
  ['live sessions of a client', (db) => sessions.activeOfClient(db, 'client_1')],
  ['session by id and client', (db) => sessions.ofClient(db, 'client_1', 'sess_1')],
  ['sign-in by id and client', (db) => signIns.ofClient(db, 'client_1', 'sia_1')],
  ['identifiers of a user', (db) => identifiers.ofUser(db, 'user_1')],
  ['passkeys of a user', (db) => passkeys.ofUser(db, 'user_1')],
  ['user by identifier', (db) => identifiers.userIdOf(db, 'username', 'alice')],
  ['counter compare-and-set', (db) => passkeys.advanceCounter(db, { id: 'pk_1', expected: 1, counter: 2, backupState: false, now })],
  ['last sign-in', (db) => users.markSignedIn(db, 'user_1', now)],
  ['sign-in completed', (db) => signIns.complete(db, { id: 'sia_1', userId: 'user_1', sessionId: 'sess_1', strategy: 'passkey', now })],
  ['client token rotated', (db) => clients.rotateToken(db, { id: 'client_1', tokenHash: 'h2', sessionId: 'sess_1', now })],
];

describe('query plans of the sign-in on SQLite', () => {
  it('each statement searches by an index that names its rows, none scans a table', async () => {
    let sent: string[] = [];
    const { store, cleanup } = await freshStore('sqlite', (text) => sent.push(text));
    try {
      await migrateToLatest(store.db, store.engine);
      const plans: Record<string, string[]> = {};
      for (const [name, call] of calls) {
        sent = [];
        await call(store.db).catch(() => undefined); // a missing row still sent its statement
        const text = sent.find((s) => /^\s*(select|update|insert|delete|with)/i.test(s));
        expect(text, name).toBeDefined();
        // The plan does not depend on the values: bind nulls.
        const params = Array.from(text!.matchAll(/\?/g), () => null);
        const rows = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, params));
        plans[name] = rows.rows.map((r) => r.detail);
      }
      for (const [name, details] of Object.entries(plans)) {
        for (const d of details) expect(d, `${name}: ${details.join(' | ')}`).not.toMatch(/^SCAN (?!CONSTANT ROW)/);
      }
      expect(plans['live sessions of a client']!.join(' ')).toContain('sessions_client_id');
    } finally {
      await cleanup();
    }
  });
});
