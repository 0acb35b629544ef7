import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, attemptSignIn, expectError, expectOk, signInDiscoverable, signUp, startDiscoverable } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

describe('passkeys switched off', () => {
  it('answers feature_not_enabled on every passkey endpoint, says so in the environment, and keeps existing passkeys', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId } = await signUp(b, auth, { username: 'hal' });
    const pk = expectOk(await b.get(`/v1/me?_clerk_session_id=${sessionId}`)).response.passkeys[0];
    const { signIn: pendingSignIn } = await startDiscoverable(server.browser());

    await server.setSettings({ passkeysEnabled: false });
    const env = expectOk(await b.get('/v1/environment'));
    expect(env.user_settings.attributes.passkey.enabled).toBe(false);
    const other = server.browser();
    const q = `?_clerk_session_id=${sessionId}`;
    for (const r of [
      await other.post('/v1/client/sign_ins', { strategy: 'passkey' }),
      await other.post('/v1/client/sign_ups', { username: 'newbie' }),
      await b.post(`/v1/me/passkeys${q}`),
      await b.post(`/v1/me/passkeys/${pk.id}${q}&_method=PATCH`, { name: 'x' }),
      await b.post(`/v1/me/passkeys/${pk.id}${q}&_method=DELETE`),
      await b.post(`/v1/client/sign_ins/${pendingSignIn.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: '{}' }),
    ]) {
      expectError(r, 403, 'feature_not_enabled');
    }
    await server.setSettings({ passkeysEnabled: true });
    expect(expectOk(await b.get(`/v1/me${q}`)).response.passkeys.map((p: { id: string }) => p.id)).toEqual([pk.id]);
    await signInDiscoverable(server.browser(), auth);
  });

  it('publishes autofill and sign-in button settings in the environment (GET and PATCH)', async () => {
    const server = await createTestServer({ settings: { allowAutofill: false, showSignInButton: false, applicationName: 'Acme' } });
    const b = server.browser();
    for (const env of [expectOk(await b.get('/v1/environment')), expectOk(await b.post('/v1/environment?_method=PATCH'))]) {
      expect(env.user_settings.passkey_settings).toEqual({ allow_autofill: false, show_sign_in_button: false });
      expect(env.display_config.application_name).toBe('Acme');
    }
    const audit = await server.deps.store.db.selectFrom('audit_events').select('type').where('type', '=', 'settings.updated').execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });
});

describe('origins', () => {
  it('refuses state-changing calls from other origins or without an Origin (CSRF)', async () => {
    const server = await createTestServer();
    expectError(await server.browser({ origin: 'https://evil.example' }).post('/v1/client/sign_ins', { strategy: 'passkey' }), 400, 'origin_invalid');
    const noOrigin = server.browser();
    noOrigin.origin = null;
    expectError(await noOrigin.post('/v1/client/sign_ins', { strategy: 'passkey' }), 400, 'origin_invalid');
    expect(await server.deps.store.db.selectFrom('sign_ins').select('id').execute()).toEqual([]);
  });

  it('answers CORS for allowed origins only, with credentials', async () => {
    const server = await createTestServer({ config: { mode: 'production' }, settings: { domain: 'example.com' } });
    const preflight = (origin: string) =>
      server.app.request('/v1/client/sign_ins', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight('https://app.example.com');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const bad = await preflight('https://example-admin.com');
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const get = await server.app.request('/v1/environment', { headers: { origin: 'http://localhost:3000' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    // Actual requests: the answer carries CORS for an allowed origin, error answers included.
    const fromApp = { origin: 'https://app.example.com' };
    const env = await server.app.request('/v1/environment', { headers: fromApp });
    expect([env.status, env.headers.get('access-control-allow-origin'), env.headers.get('access-control-allow-credentials')]).toEqual([200, 'https://app.example.com', 'true']);
    expect(env.headers.get('vary')).toMatch(/Origin/);
    const failed = await server.app.request('/v1/client/sign_ins/sia_nope/attempt_first_factor', { method: 'POST', headers: fromApp });
    expect([failed.status, failed.headers.get('access-control-allow-origin')]).toEqual([422, 'https://app.example.com']); // strategy missing
  });

  it('lets a passkey made on the apex domain sign in on every subdomain, and refuses another site', async () => {
    const server = await createTestServer({ config: { mode: 'production' }, settings: { domain: 'example.com' } });
    const auth = new SoftwareAuthenticator();
    const apex = server.browser({ origin: 'https://example.com' });
    const { signUp: _ } = { signUp: await signUp(apex, auth, { username: 'ivy' }) };
    expect(auth.credentials[0]!.rpId).toBe('example.com');
    await signInDiscoverable(server.browser({ origin: 'https://accounts.example.com' }), auth);
    await signInDiscoverable(server.browser({ origin: 'https://app.example.com' }), auth);
    // A response produced on another site (same RP ID claimed) is refused on origin.
    const b = server.browser({ origin: 'https://app.example.com' });
    const { signIn, options } = await startDiscoverable(b);
    const forged = await auth.get(options, { origin: 'https://example-admin.com' });
    expectError(await attemptSignIn(b, signIn.id, forged), 400, 'passkey_authentication_failure');
  });

  it('refuses a satellite domain with a clear error unless it is a related origin, which /.well-known/webauthn publishes', async () => {
    const server = await createTestServer({
      config: { mode: 'production' },
      settings: { domain: 'example.com', allowedOrigins: ['https://example.org'] },
    });
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser({ origin: 'https://example.com' }), auth, { username: 'joe' });
    const sat = server.browser({ origin: 'https://example.org' });
    const { signIn, options } = await startDiscoverable(sat);
    const assertion = await auth.get(options, { origin: 'https://example.org' });
    const err = expectError(await attemptSignIn(sat, signIn.id, assertion), 400, 'passkey_authentication_failure');
    expect(err.long_message).toMatch(/outside the passkey domain example\.com/);
    expectError(await sat.get('/.well-known/webauthn'), 404, 'not_found');

    await server.setSettings({ relatedOrigins: ['https://example.org'] });
    expect(expectOk(await sat.get('/.well-known/webauthn'))).toEqual({ origins: ['https://example.org'] });
    await signInDiscoverable(sat, auth);
  });
});

describe('adding passkeys', () => {
  it('stops at the quota (10 by default) with passkey_quota_exceeded', async () => {
    const server = await createTestServer({ settings: { maxPasskeysPerUser: 3 } });
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'kim' });
    expectOk(await addPasskey(b, sessionId, new SoftwareAuthenticator()));
    expectOk(await addPasskey(b, sessionId, new SoftwareAuthenticator()));
    expectError(await b.post(`/v1/me/passkeys?_clerk_session_id=${sessionId}`), 403, 'passkey_quota_exceeded');
  });

  it('re-checks the quota when finishing, so two registrations started together cannot both pass it', async () => {
    const server = await createTestServer({ settings: { maxPasskeysPerUser: 2 } });
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'lou' });
    const q = `?_clerk_session_id=${sessionId}`;
    const p1 = expectOk(await b.post(`/v1/me/passkeys${q}`)).response;
    const p2 = expectOk(await b.post(`/v1/me/passkeys${q}`)).response;
    const finish = async (p: { id: string; verification: { nonce: string } }) =>
      b.post(`/v1/me/passkeys/${p.id}/attempt_verification${q}`, {
        strategy: 'passkey',
        public_key_credential: await new SoftwareAuthenticator().create(JSON.parse(p.verification.nonce), { origin: b.origin! }),
      });
    expectOk(await finish(p1));
    expectError(await finish(p2), 403, 'passkey_quota_exceeded');
    expect(expectOk(await b.get(`/v1/me${q}`)).response.passkeys).toHaveLength(2);
  });
});
