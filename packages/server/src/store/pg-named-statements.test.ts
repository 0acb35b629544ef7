/**
 * Named statements on a real PostgreSQL: each SQL text is prepared once per connection, and a
 * schema change by another connection (a rolling deploy's migration) does not break the process.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from '../../test/support/database.js';
import { nameStatements } from './pg-named-statements.js';

describe('named statements (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createPgDatabase>>;
  let pool: pg.Pool;
  /** Another connection, as another process running a migration. */
  let other: pg.Client;

  beforeAll(async () => {
    database = await createPgDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
    pool.on('connect', nameStatements);
    other = new pg.Client({ connectionString: database.url });
    await other.connect();
    await other.query('create table things (id integer primary key, label text)');
    await other.query(`insert into things values (1, 'one'), (2, 'two')`);
  });
  afterAll(async () => {
    await other.end();
    await pool.end();
    await database.drop();
  });

  it('prepares each distinct text once on the connection and reuses it', async () => {
    const c = await pool.connect();
    try {
      const byId = 'select * from things where id = $1';
      expect((await c.query(byId, [1])).rows).toEqual([{ id: 1, label: 'one' }]);
      expect((await c.query(byId, [2])).rows).toEqual([{ id: 2, label: 'two' }]);
      await c.query('select count(*) from things where id > $1', [0]);
      const prepared = await c.query('select statement from pg_prepared_statements order by prepare_time');
      const statements = prepared.rows.map((r: { statement: string }) => r.statement);
      expect(statements.filter((s) => s === byId)).toHaveLength(1);
      expect(statements).toContain('select count(*) from things where id > $1');
    } finally {
      c.release();
    }
  });

  it('runs a prepared SELECT * again after another connection adds a column, outside a transaction', async () => {
    const c = await pool.connect();
    try {
      const all = 'select * from things order by id';
      await c.query(all, []);
      await other.query('alter table things add column weight integer');
      const after = await c.query(all, []);
      expect(after.rows[0]).toEqual({ id: 1, label: 'one', weight: null });
    } finally {
      c.release();
    }
  });

  it('inside a transaction, fails that one transaction, and the next one prepares afresh', async () => {
    const c = await pool.connect();
    try {
      // Prepared before the migration (a transaction holding the table would make it wait).
      const one = 'select * from things where id = $1 and id > 0';
      await c.query(one, [1]);
      await other.query('alter table things add column colour text');
      await c.query('begin');
      await expect(c.query(one, [1])).rejects.toMatchObject({ code: '0A000' });
      await c.query('rollback');
      await c.query('begin');
      const again = await c.query(one, [1]);
      await c.query('commit');
      expect(again.rows[0]).toMatchObject({ id: 1, colour: null });
    } finally {
      c.release();
    }
  });
});
