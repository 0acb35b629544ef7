#!/usr/bin/env node
/**
 * `latchkey start` serves; `latchkey migrate` only brings the database schema up to date;
 * `latchkey rotate-keys` makes a new session-token signing key; `latchkey jwt-public-key` prints it
 * as PEM (for `@clerk/backend`'s `jwtKey`); `latchkey jwt-templates …` manages JWT templates.
 * Configuration comes from environment variables (docs/configuration.md).
 */
import { loadConfig } from './config/index.js';
import { jwtTemplatesCommand } from './jwt-templates/cli.js';
import { JwtTemplates } from './jwt-templates/service.js';
import { exitOnStartupError, serveUntilSignalled } from './run.js';
import { startServer } from './server.js';
import { SigningKeys } from './sessions/keys.js';
import { publicKeyPem } from './sessions/public-key-pem.js';
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
  if (command === 'jwt-public-key') {
    const store = openStore(config);
    await migrateToLatest(store.db, store.engine);
    const keys = new SigningKeys(store, systemClock, config.tokenAlg);
    await keys.ensureKey();
    const current = (await keys.publicJwks()).keys[0]!;
    // Clerk's backend SDK reads only RS256 keys; an ES256 PEM would fail there with a vaguer error.
    if (current.alg !== 'RS256') {
      console.error('The current signing key is ES256. @clerk/backend verifies RS256 only: set LATCHKEY_TOKEN_ALG=RS256 and run this again.');
      process.exitCode = 1;
    } else {
      process.stdout.write(publicKeyPem(current));
    }
    await store.close();
    return;
  }
  if (command === 'jwt-templates') {
    const store = openStore(config);
    await migrateToLatest(store.db, store.engine);
    const keys = new SigningKeys(store, systemClock, config.tokenAlg);
    await keys.ensureKey();
    const templates = new JwtTemplates({ store, clock: systemClock, keys, config });
    process.exitCode = await jwtTemplatesCommand(process.argv.slice(3), templates, (s) => console.log(s), (s) => console.error(s));
    await store.close();
    return;
  }
  if (command !== 'start' && command !== undefined) {
    console.error(`Unknown command "${command}". Usage: latchkey start | latchkey migrate | latchkey rotate-keys | latchkey jwt-public-key | latchkey jwt-templates …`);
    process.exit(2);
  }
  serveUntilSignalled(await startServer(config));
}

main(process.argv[2]).catch(exitOnStartupError);
