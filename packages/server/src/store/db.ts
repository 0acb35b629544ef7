/**
 * Opens the database: PostgreSQL when a `postgres://` URL is given, else an embedded SQLite file
 * in WAL mode. Everything above this file speaks Kysely and does not know which engine it has.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { startCheckpointer } from './checkpointer.js';
import { nameStatements } from './pg-named-statements.js';
import { FairSqliteDialect } from './sqlite-dialect.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8_OID = 20;

export interface StoreOptions {
  databaseUrl: string | null;
  /** PostgreSQL: named statements, prepared once per connection (default on; see pg-named-statements.ts). */
  pgPreparedStatements?: boolean;
  sqlitePath: string;
  warn?: (message: string) => void;
  /** Called with every statement sent, BEGIN and COMMIT included (statement counts, not for production). */
  onQuery?: (sql: string) => void;
}

export function openStore(opts: StoreOptions): Store {
  const log = opts.onQuery ? (event: { query: { sql: string } }) => opts.onQuery!(event.query.sql) : undefined;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      // Timestamps and counters are bigint columns; they fit a JS number (ms until year 287,396).
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on next use.
    pool.on('error', () => {});
    if (opts.pgPreparedStatements !== false) pool.on('connect', nameStatements);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log && { log }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  if (opts.sqlitePath !== ':memory:') fs.mkdirSync(path.dirname(opts.sqlitePath), { recursive: true });
  const sqlite = new SQLite(opts.sqlitePath);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (a CLI `migrate`) may hold the write lock for a moment; wait instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  const checkpointer = opts.sqlitePath === ':memory:' ? null : startCheckpointer(sqlite, opts.sqlitePath, opts.warn ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new FairSqliteDialect({ database: withStatementCache(sqlite) }), ...(log && { log }) });
  return {
    db,
    engine: 'sqlite',
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** Enough distinct statements for every query the server makes, with room for `IN (…)` variants. */
const STATEMENT_CACHE_LIMIT = 1000;

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles SQL on each `prepare()` —
 * on the sign-in path that compile cost more than running the statements. Our queries come from
 * a fixed set of builders, so the same SQL text recurs and its compiled statement can be reused.
 * Safe because Kysely runs each statement to completion (`all`/`run`) before the next one starts.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        // Insertion order: the first key is the oldest entry.
        if (statements.size >= STATEMENT_CACHE_LIMIT) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
