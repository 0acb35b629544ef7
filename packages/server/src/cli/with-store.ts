import type { Config } from '../config/index.js';
import { explainDatabaseError } from '../startup/errors.js';
import { openStore, type Store } from '../store/db.js';
import { migrateToLatest } from '../store/migrations.js';

/**
 * For one-shot commands: opens the database `start` would use, migrates it, runs `fn`, closes it.
 * A database that cannot be opened or reached fails with a line naming the variable to fix.
 */
export async function withMigratedStore<T>(config: Config, fn: (store: Store, applied: string[]) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = openStore(config);
  } catch (err) {
    throw explainDatabaseError(err, config);
  }
  try {
    const applied = await migrateToLatest(store.db, store.engine).catch((err: unknown) => {
      throw explainDatabaseError(err, config);
    });
    return await fn(store, applied);
  } finally {
    await store.close();
  }
}
