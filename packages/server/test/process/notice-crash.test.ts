/**
 * A security notice is never lost when the server dies: "a passkey was added" is committed to the
 * outbox with the passkey, and a process killed (SIGKILL) while the SMTP server held the notice
 * leaves it to the next process once the claim's lease lapses. Real processes, real PostgreSQL,
 * a real SMTP server.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_LEASE_MS } from '../../src/outbox/dispatcher.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { emailWorld } from '../support/email-world.js';
import { addPasskey, expectOk } from '../support/flows.js';
import { DEV_ORIGIN, TestBrowser } from '../support/harness.js';
import { remote, type ServerProcess, startServerProcess } from '../support/process.js';
import { codeIn } from '../support/smtp-server.js';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/server-with-clock-offset.mjs');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

it('a server killed after a passkey was added, before its notice was sent: the restarted server sends it', async () => {
  const { db, store, smtp, smtpUrl, cleanup } = await emailWorld();
  cleanups.push(cleanup);

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

  // A user with a verified address (the code read from the SMTP server) and a passkey.
  const su = expectOk(await browser.post('/v1/client/sign_ups', { email_address: 'quinn@example.com' })).response;
  expectOk(await browser.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'email_code' }));
  const code = codeIn(await smtp.waitFor((m) => m.to.includes('quinn@example.com')));
  expectOk(await browser.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'email_code', code }));
  const prep = expectOk(await browser.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' })).response;
  const credential = await new SoftwareAuthenticator().create(JSON.parse(prep.verifications.passkey.nonce), { origin: DEV_ORIGIN });
  const done = expectOk(await browser.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));
  const sessionId = done.response.created_session_id as string;

  // The second passkey commits with its notice; the SMTP server holds the notice; the server dies.
  smtp.hold = true;
  const held = smtp.nextHeld();
  const added = expectOk(await addPasskey(browser, sessionId, new SoftwareAuthenticator())).response;
  await held;
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;
  expect(smtp.received).toHaveLength(1); // only the sign-up code
  const pending = await store.db.selectFrom('outbox').select(['topic', 'status', 'attempts']).where('status', '=', 'pending').execute();
  expect(pending).toEqual([{ topic: 'email', status: 'pending', attempts: 1 }]);

  // Restarted "after the lease": its dispatcher claims the orphaned notice at start.
  smtp.hold = false;
  const second = await startServerProcess({ ...env, CLOCK_OFFSET_MS: String(DEFAULT_LEASE_MS + 1000) }, { script: SCRIPT });
  cleanups.push(() => second.stop());
  const notice = await smtp.waitFor((m) => m.to.includes('quinn@example.com') && m.subject.includes('A passkey was added'));
  expect(notice.text).toContain(`A passkey named "${added.name}" was added`);
  expect(notice.text).toContain('http://localhost:4000/portal/user');
  await second.stop();
  expect(await store.db.selectFrom('outbox').select(['status']).where('status', '!=', 'done').execute()).toEqual([]);
}, 90_000);
