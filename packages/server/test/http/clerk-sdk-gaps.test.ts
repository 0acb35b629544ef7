/**
 * The requests Clerk's own browser SDK sends just outside the passkey flows (issue 14; DESIGN.md
 * "Seen with Clerk's SDKs against Latchkey"), each with the answer it needs and its refusals.
 * e2e/clerk-sdk.test.ts runs the SDK itself; these pin the wire behaviour on both engines.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, attemptSignIn, expectError, expectOk, signInDiscoverable, signUp, startDiscoverable } from '../support/flows.js';
import { createTestServer, testConfig } from '../support/harness.js';

describe('signing out one of several sessions (POST /client/sessions/{sid}/remove)', () => {
  it('ends that session only and answers it as removed', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId: first } = await signUp(b, auth, { username: 'ada' });
    const second = await signInDiscoverable(b, auth);
    for (const prefix of ['/v1', '/__clerk/v1']) {
      const sid = prefix === '/v1' ? first : second;
      const body = expectOk(await b.post(`${prefix}/client/sessions/${sid}/remove`));
      expect(body.response).toMatchObject({ object: 'session', id: sid, status: 'removed' });
      expect(body.client.sessions.map((s: { id: string }) => s.id)).not.toContain(sid);
    }
    expect(expectOk(await b.get('/v1/client')).response.sessions).toEqual([]);
  });

  it('refuses a session that is already ended, or belongs to another browser', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    const other = server.browser();
    expectError(await other.post(`/v1/client/sessions/${sessionId}/remove`), 401, 'signed_out');
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/remove`));
    expectError(await b.post(`/v1/client/sessions/${sessionId}/remove`), 401, 'signed_out');
  });
});

describe('reading one session (GET /client/sessions/{sid}, session.reload())', () => {
  it('answers the live session with its user and a token, without counting as activity', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    const { sessionId, userId } = await signUp(b, new SoftwareAuthenticator(), { username: 'cyd' });
    const before = await server.deps.store.db.selectFrom('sessions').select('last_active_at').where('id', '=', sessionId).executeTakeFirstOrThrow();
    server.clock.advance(5 * 60_000);
    const body = expectOk(await b.get(`/__clerk/v1/client/sessions/${sessionId}`));
    expect(body.response).toMatchObject({ object: 'session', id: sessionId, status: 'active', user: { id: userId } });
    expect(body.response.last_active_token.jwt).toMatch(/^ey/);
    expect(body.client.id).toBeTruthy();
    const after = await server.deps.store.db.selectFrom('sessions').select('last_active_at').where('id', '=', sessionId).executeTakeFirstOrThrow();
    expect(after.last_active_at).toBe(before.last_active_at);
  });

  it('answers signed_out for an ended session, another browser\'s session or a made-up id', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'dia' });
    expectError(await server.browser().get(`/v1/client/sessions/${sessionId}`), 401, 'signed_out');
    expectError(await b.get('/v1/client/sessions/sess_0000000000AAAAAAAAAAAA'), 401, 'signed_out');
    // An id that cannot exist is refused before any lookup (docs/security.md, hostile input).
    expectError(await b.get('/v1/client/sessions/sess_madeup'), 404, 'resource_not_found');
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/end`));
    expectError(await b.get(`/v1/client/sessions/${sessionId}`), 401, 'signed_out');
  });
});

describe('unknown API paths', () => {
  it('answer the JSON error envelope with 404 resource_not_found for every method', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    for (const p of ['/v1/nope', '/__clerk/v1/client/nope', '/__clerk/npm/@clerk/clerk-js@6/dist/clerk.browser.js', '/v1']) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const r = await b.request(method, p);
        expectError(r, 404, 'resource_not_found');
        expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
  });

  it('never fall through to the single-page app, which still serves its own unknown paths', async () => {
    const staticDir = await mkdtemp(path.join(tmpdir(), 'latchkey-static-'));
    await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
    const running = await startServer(testConfig({ staticDir, port: 0 }), { log: () => {} });
    try {
      const get = (p: string) => fetch(`${running.url}${p}`);
      for (const p of ['/v1/unknown', '/__clerk/npm/@clerk/clerk-js@6/dist/clerk.browser.js', '/__clerk/v1/client/sessions/x/y/z']) {
        const r = await get(p);
        expect(r.status).toBe(404);
        expect(((await r.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe('resource_not_found');
      }
      const page = await get('/some/app/route');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>app</title>');
    } finally {
      await running.close();
      await rm(staticDir, { recursive: true, force: true });
    }
  });
});

describe('deleting a pending passkey (a failed ceremony\'s cleanup)', () => {
  it('drops the pending registration and answers deleted: true; the registration cannot be finished after', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId } = await signUp(b, auth, { username: 'eve' });
    const pending = expectOk(await b.post(`/v1/me/passkeys?_clerk_session_id=${sessionId}`)).response;
    const credential = await new SoftwareAuthenticator().create(JSON.parse(pending.verification.nonce), { origin: b.origin! });
    const body = expectOk(await b.post(`/v1/me/passkeys/${pending.id}?_method=DELETE&_clerk_session_id=${sessionId}`));
    expect(body.response).toEqual({ object: 'passkey', id: pending.id, deleted: true });
    const left = await server.deps.store.db.selectFrom('passkey_registrations').select('id').where('id', '=', pending.id).execute();
    expect(left).toEqual([]);
    expectError(
      await b.post(`/v1/me/passkeys/${pending.id}/attempt_verification?_clerk_session_id=${sessionId}`, { strategy: 'passkey', public_key_credential: credential }),
      400,
      'verification_expired',
    );
    // Gone now: a second delete is a plain 404.
    expectError(await b.post(`/v1/me/passkeys/${pending.id}?_method=DELETE&_clerk_session_id=${sessionId}`), 404, 'passkey_not_registered');
    expect(body.client.sessions[0].user.passkeys).toHaveLength(1);
  });

  it('is not possible for another user, even on the same browser', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const b = server.browser();
    const { sessionId: owner } = await signUp(b, new SoftwareAuthenticator(), { username: 'fay' });
    const pending = expectOk(await b.post(`/v1/me/passkeys?_clerk_session_id=${owner}`)).response;
    const { sessionId: intruder } = await signUp(b, new SoftwareAuthenticator(), { username: 'gus' });
    expectError(await b.post(`/v1/me/passkeys/${pending.id}?_method=DELETE&_clerk_session_id=${intruder}`), 404, 'passkey_not_registered');
    // …nor for another browser's user.
    const elsewhere = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId: hers } = await signUp(elsewhere, auth, { username: 'hal' });
    const hersPending = expectOk(await elsewhere.post(`/v1/me/passkeys?_clerk_session_id=${hers}`)).response;
    expectError(await b.post(`/v1/me/passkeys/${hersPending.id}?_method=DELETE&_clerk_session_id=${owner}`), 404, 'passkey_not_registered');
    const kept = await server.deps.store.db.selectFrom('passkey_registrations').select('id').execute();
    expect(kept.map((r) => r.id).sort()).toEqual([pending.id, hersPending.id].sort());
    // The owner's own delete still works.
    expectOk(await b.post(`/v1/me/passkeys/${pending.id}?_method=DELETE&_clerk_session_id=${owner}`));
    expect(expectOk(await addPasskey(elsewhere, hers, new SoftwareAuthenticator())).response.verification.status).toBe('verified');
  });
});

describe('the completed sign-in', () => {
  it('stays on the client until the next sign-in starts, and refuses a second attempt', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // Clerk's SDK with several sessions
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser(), auth, { username: 'ivy' });
    const b = server.browser();
    const { signIn, options } = await startDiscoverable(b);
    const assertion = await auth.get(options, { origin: b.origin! });
    const done = expectOk(await attemptSignIn(b, signIn.id, assertion));
    expect(done.client.sign_in).toMatchObject({ id: signIn.id, status: 'complete', created_session_id: done.response.created_session_id });
    expect(expectOk(await b.get('/v1/client')).response.sign_in).toMatchObject({ id: signIn.id, status: 'complete' });
    expectError(await attemptSignIn(b, signIn.id, assertion), 400, 'sign_in_already_complete');
    expectError(await b.post(`/v1/client/sign_ins/${signIn.id}/prepare_first_factor`, { strategy: 'passkey' }), 400, 'sign_in_already_complete');
    // The next sign-in replaces it.
    const next = expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }));
    expect(next.client.sign_in).toMatchObject({ id: next.response.id, status: 'needs_first_factor' });
  });
});
