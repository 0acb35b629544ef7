/**
 * Hot-path queries, built and compiled once. Kysely builds an operation tree and compiles it to
 * SQL on every call — about as much CPU as SQLite spends running the statement. A prepared
 * query is built once per SQL dialect with named placeholders; each call only fills in values.
 *
 *   const byId = prepared<{ id: string }, SessionRow>((db, p) =>
 *     db.selectFrom('sessions').selectAll().where('id', '=', p('id')));
 *   const row = await byId.first(db, { id });
 *
 * Only plain value parameters may be placeholders (no `in` lists, no values Kysely rewrites).
 */
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** A string no real parameter value starts with. */
const PLACEHOLDER = '\u0000latchkey.param:';

interface Template {
  sql: string;
  /** Per SQL parameter: the name of the value to fill in, or null for a constant of the query. */
  slots: (string | null)[];
  constants: readonly unknown[];
}

export interface Prepared<P, R> {
  all(db: Db, params: P): Promise<R[]>;
  first(db: Db, params: P): Promise<R | undefined>;
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  run(db: Db, params: P): Promise<number>;
}

export function prepared<P extends Record<string, unknown>, R = unknown>(
  build: (db: Db, param: <K extends keyof P & string>(name: K) => P[K]) => Compilable<R>,
): Prepared<P, R> {
  // Keyed by the dialect adapter's class: SQLite and PostgreSQL compile to different SQL, while
  // every Kysely instance and transaction of one dialect shares it.
  const templates = new Map<unknown, Template>();
  const template = (db: Db): Template => {
    const dialect = db.getExecutor().adapter.constructor;
    let t = templates.get(dialect);
    if (!t) {
      const compiled = build(db, (name) => `${PLACEHOLDER}${name}` as never).compile();
      t = {
        sql: compiled.sql,
        slots: compiled.parameters.map((v) => (typeof v === 'string' && v.startsWith(PLACEHOLDER) ? v.slice(PLACEHOLDER.length) : null)),
        constants: compiled.parameters,
      };
      templates.set(dialect, t);
    }
    return t;
  };
  const execute = (db: Db, params: P) => {
    const t = template(db);
    const values = t.slots.map((name, i) => {
      if (name === null) return t.constants[i];
      if (!(name in params)) throw new Error(`prepared query: no value for ${name}`);
      return params[name];
    });
    return db.executeQuery<R>(CompiledQuery.raw(t.sql, values));
  };
  return {
    all: async (db, params) => (await execute(db, params)).rows,
    first: async (db, params) => (await execute(db, params)).rows[0],
    run: async (db, params) => Number((await execute(db, params)).numAffectedRows ?? 0n),
  };
}
