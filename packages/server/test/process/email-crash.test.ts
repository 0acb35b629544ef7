/**
 * A code is never lost when the server dies: the email is committed to the outbox with the code,
 * and a process killed (SIGKILL) while the SMTP server held its message leaves it to the next
 * process once the claim's lease lapses. Real processes, real PostgreSQL, a real SMTP server.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS } from '../../src/outbox/dispatcher.js';
import { emailWorld } from '../support/email-world.js';
import { expectOk } from '../support/flows.js';
import { DEV_ORIGIN, TestBrowser } from '../support/harness.js';
import { remote, type ServerProcess, startServerProcess } from '../support/process.js';
import { codeIn } from '../support/smtp-server.js';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/server-with-clock-offset.mjs');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

it('a server killed after the code was committed, before its email was sent: the restarted server sends it', async () => {
  const { db, store, smtp, smtpUrl, cleanup } = await emailWorld();
  cleanups.push(cleanup);
  smtp.hold = true;

  const env = {
    DATABASE_URL: db.url,
    LATCHKEY_RATE_LIMIT: 'off',
    LATCHKEY_PUBLIC_URL: 'http://localhost:4000',
    LATCHKEY_SMTP_URL: smtpUrl,
    LATCHKEY_EMAIL_FROM: 'no-reply@example.com',
  };
  const first: ServerProcess = await startServerProcess(env, { script: SCRIPT });
  cleanups.push(() => first.stop());
  const browser = new TestBrowser(remote(() => first.url), DEV_ORIGIN, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0');
  const su = expectOk(await browser.post('/v1/client/sign_ups', { email_address: 'phoenix@example.com' })).response;
  const held = smtp.nextHeld();
  expectOk(await browser.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'email_code' }));
  await held;
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;
  expect(smtp.received).toHaveLength(0);
  expect(await store.db.selectFrom('outbox').select(['topic', 'status', 'attempts']).execute()).toEqual([{ topic: 'email', status: 'pending', attempts: 1 }]);

  // Restarted "after the lease": its dispatcher claims the orphaned email at start.
  smtp.hold = false;
  const second = await startServerProcess({ ...env, CLOCK_OFFSET_MS: String(DEFAULT_LEASE_MS + 1000) }, { script: SCRIPT });
  cleanups.push(() => second.stop());
  const mail = await smtp.waitFor((m) => m.to.includes('phoenix@example.com'));
  const again = new TestBrowser(remote(() => second.url), DEV_ORIGIN, browser.userAgent);
  again.cookie = browser.cookie;
  const verified = expectOk(await again.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'email_code', code: codeIn(mail) }));
  expect(verified.response.verifications.email_address.status).toBe('verified');
  await second.stop();
  expect(await store.db.selectFrom('outbox').select(['status', 'attempts']).execute()).toEqual([{ status: 'done', attempts: 2 }]);
}, 60_000);
