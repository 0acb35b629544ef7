/**
 * Gives each distinct SQL text a name, so node-postgres prepares it once per connection and later
 * sends only bind and execute: PostgreSQL then skips parsing and planning the statement on every
 * call. That halves PostgreSQL's CPU per sign-in (docs/performance.md).
 *
 * A prepared `SELECT *` keeps the row shape it was planned with. When another process migrates
 * the schema (a rolling deploy adds a column), PostgreSQL refuses to run it again: "cached plan
 * must not change result type". Then every name is given up (a new generation of names, so each
 * connection prepares afresh) and, outside a transaction, the query runs again at once; inside one
 * the transaction is already aborted, so the error goes up and that one request fails.
 */
import type pg from 'pg';

/** Distinct statements named; past this, new texts run unnamed (parsed each time). */
const NAMED_LIMIT = 1000;

let generation = 0;
let names = new Map<string, string>();

function nameFor(text: string): string | null {
  let name = names.get(text);
  if (!name) {
    if (names.size >= NAMED_LIMIT) return null;
    name = `lk${generation}_${names.size}`;
    names.set(text, name);
  }
  return name;
}

/** PostgreSQL's refusal to run a prepared statement whose result columns have changed. */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

function forgetAllNames(): void {
  generation++;
  names = new Map();
}

type Query = (...args: unknown[]) => Promise<unknown>;

/** Wraps a pool client's `query(text, values)` to send named statements. */
export function nameStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  // Kysely begins (`begin`, or `start transaction …` with settings) and ends transactions with
  // plain statements on the connection it holds.
  let inTransaction = false;
  (client as { query: unknown }).query = async (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || rest.length > 0 || typeof values === 'function') return query(text, values, ...rest);
    const verb = text.slice(0, 8).toLowerCase();
    if (verb.startsWith('begin') || verb.startsWith('start tr')) inTransaction = true;
    else if (verb.startsWith('commit') || verb.startsWith('rollback')) inTransaction = false;
    const name = nameFor(text);
    if (!name) return query(text, values);
    try {
      return await query({ name, text, values });
    } catch (err) {
      if (!isStalePlan(err)) throw err;
      forgetAllNames();
      if (inTransaction) throw err;
      return query({ name: nameFor(text) ?? undefined, text, values });
    }
  };
}
