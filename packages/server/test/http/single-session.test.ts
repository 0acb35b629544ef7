import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

describe('single-session mode (the default)', () => {
  it('the environment says so, and multiSession turns it off', async () => {
    const server = await createTestServer();
    const b = server.browser();
    expect((await b.get('/v1/environment')).body.auth_config.single_session_mode).toBe(true);
    await server.setSettings({ multiSession: true });
    expect((await b.get('/v1/environment')).body.auth_config.single_session_mode).toBe(false);
  });

  it('refuses a sign-in while the browser is signed in: session_exists, 400, and no second session', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId } = await signUp(b, auth, { username: 'bob' });
    expectError(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }), 400, 'session_exists');
    expectError(await b.post('/v1/client/sign_ins', { identifier: 'bob' }), 400, 'session_exists');
    const client = expectOk(await b.get('/v1/client')).response;
    expect(client.sessions.map((s: { id: string }) => s.id)).toEqual([sessionId]);
    expect(client.sign_in).toBeNull();
  });

  it('refuses a sign-up while the browser is signed in (bob stays, carol is not created)', async () => {
    const server = await createTestServer();
    const b = server.browser();
    await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    expectError(await b.post('/v1/client/sign_ups', { username: 'carol' }), 400, 'session_exists');
    const users = await server.deps.store.db.selectFrom('identifiers').select('value').execute();
    expect(users.map((u) => u.value)).toEqual(['bob']);
  });

  it('after signing out of every session, the browser may sign in again', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    await signUp(b, auth, { username: 'bob' });
    expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
    const again = await signInDiscoverable(b, auth);
    expect(expectOk(await b.get('/v1/client')).response.sessions.map((s: { id: string }) => s.id)).toEqual([again]);
  });

  it('an ended or expired session does not count', async () => {
    const server = await createTestServer({ settings: { sessionIdleSeconds: 3600 } });
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    await signUp(b, auth, { username: 'bob' });
    server.clock.advance(3601 * 1000);
    await signInDiscoverable(b, auth);
  });

  it('another browser is not affected', async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser(), auth, { username: 'bob' });
    await signInDiscoverable(server.browser(), auth);
  });

  it('multi-session mode lets a signed-in browser add a second account', async () => {
    const server = await createTestServer({ settings: { multiSession: true } });
    const b = server.browser();
    await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    await signUp(b, new SoftwareAuthenticator(), { username: 'carol' });
    expect(expectOk(await b.get('/v1/client')).response.sessions).toHaveLength(2);
  });
});
