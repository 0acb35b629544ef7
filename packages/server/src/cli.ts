#!/usr/bin/env node
/**
 * `latchkey start` serves; `latchkey migrate` only brings the database schema up to date;
 * `latchkey rotate-keys` makes a new session-token signing key; `latchkey jwt-public-key` prints it
 * as PEM (for `@clerk/backend`'s `jwtKey`); `latchkey jwt-templates …` manages JWT templates;
 * `latchkey keys …` manages the backend API's secret keys; `latchkey sweep` deletes expired rows
 * once (the server also does it on a timer). Configuration comes from environment variables
 * (docs/configuration.md).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config/index.js';
import { jwtTemplatesCommand } from './jwt-templates/cli.js';
import { JwtTemplates } from './jwt-templates/service.js';
import { exitOnStartupError, serveUntilSignalled } from './run.js';
import { SecretKeys } from './secret-keys/index.js';
import { startServer } from './server.js';
import { SigningKeys } from './sessions/keys.js';
import { publicKeyPem } from './sessions/public-key-pem.js';
import { SettingsService } from './settings/index.js';
import { sweep } from './sweep/index.js';
import { systemClock } from './util/time.js';
import { openStore, type Store } from './store/db.js';
import { migrateToLatest } from './store/migrations.js';

const USAGE = [
  'Usage: latchkey start | latchkey migrate | latchkey rotate-keys | latchkey sweep',
  '       latchkey keys create --name NAME | latchkey keys list | latchkey keys revoke ID',
].join('\n');

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** Opens the store with the schema up to date, runs `work`, closes it. */
async function withStore(work: (store: Store, config: ReturnType<typeof loadConfig>) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const store = openStore(config);
  try {
    await migrateToLatest(store.db, store.engine);
    await work(store, config);
  } finally {
    await store.close();
  }
}

async function keys(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'create') {
    let name: string | undefined;
    try {
      name = parseArgs({ args: rest, options: { name: { type: 'string' } }, strict: true }).values.name;
    } catch (err) {
      usage((err as Error).message);
    }
    if (!name?.trim()) usage('keys create needs --name NAME (what the key is for, e.g. "billing service").');
    await withStore(async (store, config) => {
      const { key, info } = await new SecretKeys(store, systemClock, config.mode).create(name!);
      console.log(`Created secret key ${info.id} (${info.name}). It is shown only this once; store it now:\n\n${key}\n`);
    });
    return;
  }
  if (sub === 'list' && rest.length === 0) {
    await withStore(async (store, config) => {
      const list = await new SecretKeys(store, systemClock, config.mode).list();
      if (list.length === 0) return console.log('No secret keys. Create one with: latchkey keys create --name NAME');
      const date = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
      for (const k of list) {
        const status = k.revoked_at === null ? 'active' : `revoked ${date(k.revoked_at)}`;
        console.log(`${k.id}  sk_${k.mode}_…${k.key_hint}  ${JSON.stringify(k.name)}  created ${date(k.created_at)}  last used ${date(k.last_used_at)}  ${status}`);
      }
    });
    return;
  }
  if (sub === 'revoke' && rest.length === 1) {
    await withStore(async (store, config) => {
      if (!(await new SecretKeys(store, systemClock, config.mode).revoke(rest[0]!))) {
        console.error(`No active secret key ${rest[0]}. See: latchkey keys list`);
        process.exitCode = 1;
        return;
      }
      console.log(`Revoked ${rest[0]}; calls with it are refused from now on, by every server.`);
    });
    return;
  }
  usage(`Unknown keys command "${args.join(' ')}".`);
}

async function main(command: string | undefined, args: string[]): Promise<void> {
  if (command === 'keys') return keys(args);
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
  if (command === 'sweep') {
    await withStore(async (store) => {
      const counts = await sweep({ store, settings: new SettingsService(store, systemClock), clock: systemClock });
      console.log(`Deleted: ${Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(', ')}.`);
    });
    return;
  }
  if (command !== 'start' && command !== undefined) usage(`Unknown command "${command}".`);
  serveUntilSignalled(await startServer(config));
}

main(process.argv[2], process.argv.slice(3)).catch(exitOnStartupError);
