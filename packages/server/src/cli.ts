#!/usr/bin/env node
/**
 * `latchkey start` serves; `latchkey migrate` only brings the database schema up to date;
 * `latchkey rotate-keys` makes a new session-token signing key.
 * Configuration comes from environment variables (docs/configuration.md).
 */
import { ConfigError, loadConfig } from './config/index.js';
import { startServer, startupBanner } from './server.js';
import { SigningKeys } from './sessions/keys.js';
import { systemClock } from './util/time.js';
import { openStore } from './store/db.js';
import { migrateToLatest } from './store/migrations.js';

async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  if (command === 'migrate') {
    const store = openStore(config);
    const ran = await migrateToLatest(store.db, store.engine);
    console.log(ran.length ? `Applied migrations: ${ran.join(', ')}` : 'The database schema is up to date.');
    await store.close();
    return;
  }
  if (command === 'rotate-keys') {
    const store = openStore(config);
    await migrateToLatest(store.db, store.engine);
    const kid = await new SigningKeys(store, systemClock, config.tokenAlg).rotate();
    console.log(`New signing key ${kid}; the previous key stays published in the JWKS. Running servers pick it up within 30 s.`);
    await store.close();
    return;
  }
  if (command !== 'start' && command !== undefined) {
    console.error(`Unknown command "${command}". Usage: latchkey start | latchkey migrate | latchkey rotate-keys`);
    process.exit(2);
  }
  const server = await startServer(config);
  for (const line of startupBanner(server)) console.log(line);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv[2]).catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  console.error(`Latchkey failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
