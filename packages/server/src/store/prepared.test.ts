import { describe, expect, it } from 'vitest';
import { freshStore } from '../../test/support/database.js';
import { migrateToLatest } from './migrations.js';
import { prepared } from './prepared.js';

async function migrated(engine: 'sqlite' | 'postgres') {
  const fresh = await freshStore(engine);
  await migrateToLatest(fresh.store.db, fresh.store.engine);
  return fresh;
}

describe.each(['sqlite', 'postgres'] as const)('prepared queries on %s', (engine) => {
  const userById = prepared<{ id: string }, { id: string; user_handle: string }>((db, p) =>
    db.selectFrom('users').select(['id', 'user_handle']).where('id', '=', p('id')),
  );
  const insertUser = prepared<{ id: string; handle: string; now: number }>((db, p) =>
    db.insertInto('users').values({ id: p('id'), user_handle: p('handle'), created_at: p('now'), updated_at: p('now'), last_sign_in_at: null }),
  );
  const touchOlder = prepared<{ now: number; before: number }>((db, p) =>
    db.updateTable('users').set({ updated_at: p('now') }).where('updated_at', '<', p('before')).where('user_handle', '!=', 'constant-kept'),
  );

  it('fills in each call’s values, keeps constants, reports changed rows, inside transactions too', async () => {
    const { store, cleanup } = await migrated(engine);
    try {
      expect(await insertUser.run(store.db, { id: 'u1', handle: 'h1', now: 1 })).toBe(1);
      await store.db.transaction().execute(async (trx) => {
        await insertUser.run(trx, { id: 'u2', handle: 'h2', now: 5 });
      });
      expect(await userById.first(store.db, { id: 'u2' })).toEqual({ id: 'u2', user_handle: 'h2' });
      expect(await userById.first(store.db, { id: 'u1' })).toEqual({ id: 'u1', user_handle: 'h1' });
      expect(await userById.first(store.db, { id: 'nobody' })).toBeUndefined();
      expect(await userById.all(store.db, { id: 'u1' })).toHaveLength(1);
      expect(await touchOlder.run(store.db, { now: 10, before: 3 })).toBe(1); // only u1
    } finally {
      await cleanup();
    }
  });

  it('refuses a call that lacks a value, rather than binding a placeholder', async () => {
    const { store, cleanup } = await migrated(engine);
    try {
      await expect(userById.first(store.db, {} as { id: string })).rejects.toThrow(/no value for id/);
    } finally {
      await cleanup();
    }
  });
});
