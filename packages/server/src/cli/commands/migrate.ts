import { type Command, noArguments } from '../command.js';

export const migrate: Command = {
  name: 'migrate',
  summary: 'Bring the database schema up to date, then exit',
  help: `Validates the configuration, applies pending migrations to the database that start would
use (DATABASE_URL, or the SQLite file under LATCHKEY_DATA_DIR), prints what it applied, and
exits. start migrates too; run this to migrate before a deployment. Several processes migrating at
once apply each migration exactly once.

Exit codes: 0 done, 78 configuration or database connection problem, 1 a migration failed.`,
  async run(args) {
    noArguments('migrate', args);
    const [{ loadConfig }, { withMigratedStore }] = await Promise.all([import('../../config/index.js'), import('../with-store.js')]);
    await withMigratedStore(loadConfig(), async (_store, applied) => {
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'The database schema is up to date.');
    });
  },
};
