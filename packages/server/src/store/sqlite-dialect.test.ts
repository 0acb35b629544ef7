import { describe, expect, it } from 'vitest';
import { openStore } from './db.js';
import { FifoLock } from './sqlite-dialect.js';

describe('FifoLock', () => {
  it('hands the lock to waiters in arrival order, one at a time', async () => {
    const lock = new FifoLock();
    const order: number[] = [];
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await lock.lock();
        inside++;
        maxInside = Math.max(maxInside, inside);
        order.push(i);
        await new Promise((r) => setImmediate(r));
        inside--;
        lock.unlock();
      }),
    );
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxInside).toBe(1);
  });

  it('lets no newcomer overtake a waiter at a release (no barging, so no starvation)', async () => {
    const lock = new FifoLock();
    const order: string[] = [];
    await lock.lock(); // held
    const waiter = lock.lock().then(() => {
      order.push('waiter');
      lock.unlock();
    });
    lock.unlock(); // hands over to the waiter…
    const newcomer = lock.lock().then(() => {
      order.push('newcomer'); // …so one arriving in the same tick queues behind it
      lock.unlock();
    });
    await Promise.all([waiter, newcomer]);
    expect(order).toEqual(['waiter', 'newcomer']);
  });
});

describe('SQLite store under concurrent transactions', () => {
  it('serves transactions in arrival order and never interleaves them', async () => {
    const store = openStore({ databaseUrl: null, sqlitePath: ':memory:' });
    try {
      await store.db.schema.createTable('t').addColumn('n', 'integer').execute();
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.db.transaction().execute(async (trx) => {
            order.push(i);
            await trx.insertInto('t' as never).values({ n: i } as never).execute();
            // Another transaction's statement must not run inside this one.
            const rows = await trx.selectFrom('t' as never).selectAll().execute();
            expect(rows).toHaveLength(i + 1);
          }),
        ),
      );
      expect(order).toEqual(Array.from({ length: 100 }, (_, i) => i));
    } finally {
      await store.close();
    }
  });
});
