/**
 * A fresh, empty database for each test server: SQLite in memory, or a new PostgreSQL database
 * (created here, dropped at cleanup) when LATCHKEY_TEST_DB=postgres. PostgreSQL is the real
 * server on 127.0.0.1:5432; the suite fails loudly if it is not there.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.js';

export type TestEngine = 'sqlite' | 'postgres';

export const testEngine: TestEngine = process.env.LATCHKEY_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** The maintenance connection; `PG_ADMIN_URL` overrides it. */
export const pgAdminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function freshStore(
  engine: TestEngine = testEngine,
  onQuery?: (sql: string) => void,
): Promise<{ store: Store; url: string | null; cleanup(): Promise<void> }> {
  if (engine === 'sqlite') {
    const store = openStore({ databaseUrl: null, sqlitePath: ':memory:', ...(onQuery && { onQuery }) });
    return { store, url: null, cleanup: () => store.close() };
  }
  const db = await createPgDatabase();
  const store = openStore({ databaseUrl: db.url, sqlitePath: '', ...(onQuery && { onQuery }) });
  return {
    store,
    url: db.url,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
