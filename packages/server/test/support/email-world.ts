/**
 * The set-up of the email crash tests (test/process/*-crash.test.ts): a fresh PostgreSQL database
 * with its store and deps (email verification required), and a real SMTP server. `cleanup()`
 * closes all of it, newest first.
 */
import { buildDeps } from '../../src/server.js';
import { openStore } from '../../src/store/db.js';
import { createPgDatabase } from './database.js';
import { testConfig } from './harness.js';
import { TestSmtpServer } from './smtp-server.js';

export async function emailWorld() {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()!();
  };
  const db = await createPgDatabase();
  cleanups.push(db.drop);
  const store = openStore({ databaseUrl: db.url, sqlitePath: '' });
  cleanups.push(() => store.close());
  const deps = await buildDeps(testConfig({ databaseUrl: db.url }), { store, log: () => {} });
  await deps.settings.update({ emailVerification: 'required' });
  const smtp = new TestSmtpServer();
  const smtpUrl = await smtp.start();
  cleanups.push(() => smtp.close());
  return { db, store, deps, smtp, smtpUrl, cleanup };
}
