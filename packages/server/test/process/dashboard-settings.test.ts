/**
 * Two server processes on one PostgreSQL database: the first start prints the setup link, an
 * administrator registers through process A and switches passkeys off there; process B answers
 * feature_not_enabled too (it re-reads settings within a second: the test waits for the change to
 * show, it does not sleep), and on again on A → B lets users sign in again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { DashboardBrowser } from '../support/dashboard.js';
import { createPgDatabase } from '../support/database.js';
import { expectError, expectOk } from '../support/flows.js';
import { DEV_ORIGIN, TestBrowser } from '../support/harness.js';
import { remote, type ServerProcess, startServerProcess } from '../support/process.js';

const PUBLIC_URL = 'http://localhost:4000';

/** Asks `probe` again after each answer until `done` holds: waits for the change, never for time. */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
  }
}

describe('dashboard settings across processes', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const db = await createPgDatabase();
    dropDb = db.drop;
    const env = { DATABASE_URL: db.url, LATCHKEY_RATE_LIMIT: 'off', LATCHKEY_PUBLIC_URL: PUBLIC_URL };
    a = await startServerProcess(env);
    b = await startServerProcess(env);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDb?.();
  });

  it('passkeys switched off in the dashboard on one process are off on the other; on again works', async () => {
    const link = a.output().match(/(http:\/\/localhost:4000\/dashboard\/setup\?token=[A-Za-z0-9_-]+)/)?.[1];
    expect(link).toBeDefined();
    // The dashboard's pages come from the server's own origin; A is reached at its real address.
    const admin = new DashboardBrowser(remote(() => a.url), PUBLIC_URL);
    expectOk(await admin.register(link!));

    const onB = new TestBrowser(remote(() => b.url), DEV_ORIGIN, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0');
    const auth = new SoftwareAuthenticator();
    const created = expectOk(await onB.post('/v1/client/sign_ups', { username: 'bea' })).response;
    const prepared = expectOk(await onB.post(`/v1/client/sign_ups/${created.id}/prepare_verification`, { strategy: 'passkey' })).response;
    const credential = await auth.create(JSON.parse(prepared.verifications.passkey.nonce), { origin: DEV_ORIGIN });
    expectOk(await onB.post(`/v1/client/sign_ups/${created.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));
    expectOk(await onB.request('DELETE', '/v1/client/sessions'));

    expectOk(await admin.patch('/dashboard/api/v1/instance', { passkeys_enabled: false }));
    const env = await until(
      async () => expectOk(await onB.get('/v1/environment')),
      (e) => e.user_settings.attributes.passkey.enabled === false,
    );
    expect(env.user_settings.attributes.passkey.enabled).toBe(false);
    expectError(await onB.post('/v1/client/sign_ins', { strategy: 'passkey' }), 403, 'feature_not_enabled');

    expectOk(await admin.patch('/dashboard/api/v1/instance', { passkeys_enabled: true }));
    await until(
      async () => expectOk(await onB.get('/v1/environment')),
      (e) => e.user_settings.attributes.passkey.enabled === true,
    );
    const signIn = expectOk(await onB.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    const assertion = await auth.get(JSON.parse(signIn.first_factor_verification.nonce), { origin: DEV_ORIGIN });
    const done = expectOk(await onB.post(`/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: assertion })).response;
    expect(done.status).toBe('complete');
    // The link A printed is spent for every process.
    expectError(await new DashboardBrowser(remote(() => b.url), PUBLIC_URL).register(link!), 400, 'admin_link_invalid');
  });
});
