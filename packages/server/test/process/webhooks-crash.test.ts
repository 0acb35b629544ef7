/**
 * Nothing is lost when the server dies: the event is committed with the change, and a process
 * killed (SIGKILL, no shutdown code runs) while its delivery was in flight leaves the message to
 * the next process once the claim's lease lapses. Real processes, real PostgreSQL, a real receiver.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS } from '../../src/outbox/dispatcher.js';
import { buildDeps } from '../../src/server.js';
import { openStore } from '../../src/store/db.js';
import { createWebhookEndpoint } from '../../src/webhooks/endpoints.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { createPgDatabase } from '../support/database.js';
import { signUp } from '../support/flows.js';
import { DEV_ORIGIN, TestBrowser, testConfig } from '../support/harness.js';
import { remote, type ServerProcess, startServerProcess } from '../support/process.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/server-with-clock-offset.mjs');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

it('a server killed after the change committed, before delivery: the restarted server delivers it', async () => {
  const db = await createPgDatabase();
  cleanups.push(db.drop);
  const store = openStore({ databaseUrl: db.url, sqlitePath: '' });
  cleanups.push(() => store.close());
  const deps = await buildDeps(testConfig({ databaseUrl: db.url }), { store, log: () => {} });
  const receiver = await WebhookReceiver.start();
  cleanups.push(() => receiver.down());
  const endpoint = await createWebhookEndpoint(deps, { url: receiver.url, event_types: ['user.created'] });
  receiver.secret = endpoint.secret;
  // The receiver takes the request and never answers: the delivery is in flight, not delivered.
  receiver.mode = 'hold';

  const env = { DATABASE_URL: db.url, LATCHKEY_RATE_LIMIT: 'off', LATCHKEY_PUBLIC_URL: 'http://localhost:4000' };
  const first: ServerProcess = await startServerProcess(env, { script: SCRIPT });
  cleanups.push(() => first.stop());
  const browser = new TestBrowser(remote(() => first.url), DEV_ORIGIN, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0');
  const { userId } = await signUp(browser, new SoftwareAuthenticator(), { username: 'phoenix' });
  const inFlight = await receiver.count(1);
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;

  const [message] = await store.db.selectFrom('outbox').selectAll().execute();
  expect(message).toMatchObject({ id: inFlight[0]!.id, status: 'pending', attempts: 1 });
  expect(message!.locked_until).not.toBeNull();

  // Restarted "after the lease": its dispatcher claims the orphaned message at start.
  receiver.mode = 'ok';
  const second = await startServerProcess({ ...env, CLOCK_OFFSET_MS: String(DEFAULT_LEASE_MS + 1000) }, { script: SCRIPT });
  cleanups.push(() => second.stop());
  const delivered = await receiver.waitFor((r) => receiver.received.indexOf(r) === 1);
  expect(delivered.id).toBe(message!.id);
  expect(delivered.verified).toBe(true);
  expect(delivered.event).toMatchObject({ type: 'user.created', data: { id: userId, username: 'phoenix' } });
  // A graceful stop waits for the delivery in flight to be settled.
  await second.stop();
  expect(await store.db.selectFrom('outbox').select(['status', 'attempts']).execute()).toEqual([{ status: 'done', attempts: 2 }]);
}, 60_000);
