import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { createPgDatabase } from '../support/database.js';
import { expectError, expectOk } from '../support/flows.js';
import { DEV_ORIGIN, TestBrowser } from '../support/harness.js';
import { remote, type ServerProcess, startServerProcess } from '../support/process.js';

/** Two stateless server processes on one PostgreSQL database, as in a scaled-out deployment. */
describe('scale-out: two processes, one PostgreSQL database', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const db = await createPgDatabase();
    dropDb = db.drop;
    // Multi-session: the test's one browser signs up and then signs in again without signing out.
    const env = { DATABASE_URL: db.url, LATCHKEY_RATE_LIMIT: 'off', LATCHKEY_PUBLIC_URL: 'http://localhost:4000', LATCHKEY_MULTI_SESSION: 'true' };
    // Started together: migrations and the first signing key must be created exactly once.
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropDb?.();
  });

  it('finishes on one process a ceremony started on the other, and shares sessions and keys', async () => {
    let target = () => a.url;
    const browser = new TestBrowser(remote(() => target()), DEV_ORIGIN, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0');
    const auth = new SoftwareAuthenticator();

    // Sign-up: create and prepare on A, attempt on B.
    const created = expectOk(await browser.post('/v1/client/sign_ups', { username: 'scaled' })).response;
    const prepared = expectOk(await browser.post(`/v1/client/sign_ups/${created.id}/prepare_verification`, { strategy: 'passkey' })).response;
    const credential = await auth.create(JSON.parse(prepared.verifications.passkey.nonce), { origin: DEV_ORIGIN });
    target = () => b.url;
    const done = expectOk(
      await browser.post(`/v1/client/sign_ups/${created.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }),
    ).response;
    const sessionId = done.created_session_id;

    // Sign-in: start on B, finish on A.
    const signIn = expectOk(await browser.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    const assertion = await auth.get(JSON.parse(signIn.first_factor_verification.nonce), { origin: DEV_ORIGIN });
    target = () => a.url;
    const second = expectOk(await browser.post(`/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: assertion }))
      .response.created_session_id;

    // The session made on B is seen on A; a token minted on A verifies with B's JWKS.
    const clientOnA = expectOk(await browser.get('/v1/client')).response;
    expect(clientOnA.sessions.map((s: { id: string }) => s.id).sort()).toEqual([sessionId, second].sort());
    const jwt = expectOk(await browser.post(`/v1/client/sessions/${sessionId}/tokens`)).jwt;
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${b.url}/.well-known/jwks.json`)));
    expect(payload.sid).toBe(sessionId);

    // Revoked on B, refused on A.
    target = () => b.url;
    expectOk(await browser.post(`/v1/client/sessions/${sessionId}/end`));
    target = () => a.url;
    expectError(await browser.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');
    expectOk(await browser.post(`/v1/client/sessions/${second}/tokens`));
  });

  it('published one signing key between the two processes', async () => {
    const [ja, jb] = (await Promise.all(
      [fetch(`${a.url}/.well-known/jwks.json`), fetch(`${b.url}/.well-known/jwks.json`)].map(async (p) => (await p).json()),
    )) as { keys: unknown[] }[];
    expect(ja!.keys).toHaveLength(1);
    expect(jb).toEqual(ja);
  });
});
