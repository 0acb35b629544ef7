import { createLocalJWKSet, jwtVerify } from 'jose';
import { buildDeps } from '../../src/server.js';
import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer, testConfig } from '../support/harness.js';

describe('client cookie', () => {
  it('is HttpOnly, SameSite=Lax, stored only as a hash, and Secure outside development', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const res = await b.post('/v1/client/sign_ins', { strategy: 'passkey' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/__client=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const rows = await server.deps.store.db.selectFrom('clients').select('token_hash').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toBe(b.cookie);

    const prod = await createTestServer({ config: { mode: 'production' }, settings: { domain: 'example.com' } });
    const pb = prod.browser({ origin: 'https://app.example.com' });
    const r2 = await pb.post('/v1/client/sign_ins', { strategy: 'passkey' });
    expect(r2.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('is replaced at sign-in, so a token planted before sign-in is worthless (no session fixation)', async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    await signUp(server.browser(), auth, { username: 'victim' });
    const victim = server.browser();

    // The attacker obtains a client token and plants it in the victim's browser.
    const attacker = server.browser();
    expectOk(await attacker.post('/v1/client'));
    victim.cookie = attacker.cookie;
    const planted = attacker.cookie;
    await signInDiscoverable(victim, auth);
    expect(victim.cookie).not.toBe(planted);
    // The attacker's copy of the old token sees no session.
    expect(expectOk(await attacker.get('/v1/client'))).toEqual({ response: null, client: null });
    expectError(await attacker.get('/v1/me'), 401, 'signed_out');
    expect(expectOk(await victim.get('/v1/client')).response.sessions).toHaveLength(1);
  });

  it('does not resolve a made-up cookie', async () => {
    const server = await createTestServer();
    const b = server.browser();
    b.cookie = 'made-up-token';
    expect(expectOk(await b.get('/v1/client'))).toEqual({ response: null, client: null });
    expectError(await b.get('/v1/me'), 401, 'signed_out');
  });
});

describe('sessions', () => {
  it('end at sign-out: /me and /tokens answer signed_out afterwards', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'ann' });
    expectOk(await b.get(`/v1/me?_clerk_session_id=${sessionId}`));
    const ended = expectOk(await b.post(`/v1/client/sessions/${sessionId}/end`));
    expect(ended.response.status).toBe('ended');
    expect(ended.client.last_active_session_id).toBeNull();
    expectError(await b.get(`/v1/me?_clerk_session_id=${sessionId}`), 401, 'signed_out');
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');
  });

  it('sign out of all sessions with DELETE /v1/client/sessions', async () => {
    const server = await createTestServer({ settings: { multiSession: true } });
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    await signUp(b, auth, { username: 'bob' });
    await signInDiscoverable(b, auth);
    expect(expectOk(await b.get('/v1/client')).response.sessions).toHaveLength(2);
    const r = expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
    expect(r.client.sessions).toEqual([]);
  });

  it('belong to their client: another browser cannot touch, mint or end them', async () => {
    const server = await createTestServer();
    const owner = server.browser();
    const { sessionId } = await signUp(owner, new SoftwareAuthenticator(), { username: 'carol' });
    const other = server.browser();
    expectOk(await other.post('/v1/client'));
    expectError(await other.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');
    expectError(await other.post(`/v1/client/sessions/${sessionId}/end`), 401, 'signed_out');
    expectError(await other.get(`/v1/me?_clerk_session_id=${sessionId}`), 401, 'signed_out');
    expectOk(await owner.post(`/v1/client/sessions/${sessionId}/tokens`));
  });

  it('expire after the idle timeout, unless kept active', async () => {
    const server = await createTestServer({ settings: { sessionIdleSeconds: 3600, sessionMaxSeconds: 86400 } });
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'dan' });
    server.clock.advance(50 * 60 * 1000);
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/touch`));
    server.clock.advance(50 * 60 * 1000); // 100 minutes after sign-in, 50 after the touch
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens`));
    server.clock.advance(61 * 60 * 1000);
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');
    expect(expectOk(await b.get('/v1/client')).response.sessions).toEqual([]);
  });

  it('expire at the absolute lifetime however active they are', async () => {
    const server = await createTestServer({ settings: { sessionIdleSeconds: 3600, sessionMaxSeconds: 2 * 3600 } });
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'eve' });
    for (let i = 0; i < 3; i++) {
      server.clock.advance(35 * 60 * 1000);
      expectOk(await b.post(`/v1/client/sessions/${sessionId}/touch`));
    }
    server.clock.advance(16 * 60 * 1000); // 2 h 1 min after sign-in, 16 min after the last touch
    expectError(await b.post(`/v1/client/sessions/${sessionId}/touch`), 401, 'signed_out');
  });

  it('embed a last_active_token and touch makes the session the active one', async () => {
    const server = await createTestServer({ settings: { multiSession: true } });
    const b = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId: first } = await signUp(b, auth, { username: 'fay' });
    const second = await signInDiscoverable(b, auth);
    const touched = expectOk(await b.post(`/v1/client/sessions/${first}/touch`));
    expect(touched.response.id).toBe(first);
    expect(touched.response.last_active_token.jwt).toMatch(/^ey/);
    expect(touched.client.last_active_session_id).toBe(first);
    expect(touched.client.sessions.map((s: { id: string }) => s.id).sort()).toEqual([first, second].sort());
  });

  it('embed tokens whose azp is the page, also on a same-origin GET that carries Referer but no Origin', async () => {
    const server = await createTestServer();
    const b = server.browser();
    await signUp(b, new SoftwareAuthenticator(), { username: 'gil' });
    const azpOf = (body: any) => {
      const jwt = body.client.sessions[0].last_active_token.jwt as string;
      return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).azp;
    };
    // A page served by the frontend API's own origin loads the client this way (no Origin header).
    b.origin = null;
    const withReferer = await b.request('GET', '/v1/client', undefined, { headers: { referer: 'http://localhost:4000/account?tab=1' } });
    expect(azpOf(expectOk(withReferer))).toBe('http://localhost:4000');
    expect(azpOf(expectOk(await b.get('/v1/client')))).toBeUndefined();
  });
});

describe('signing keys', () => {
  it('switch to RS256 when configured: the old key stays published, new tokens are RS256', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'rsa' });
    const es = await server.deps.keys.publicJwks();
    // The same database started again with LATCHKEY_TOKEN_ALG=RS256.
    const restarted = await buildDeps(testConfig({ tokenAlg: 'RS256' }), { clock: server.clock, store: server.deps.store, log: () => {} });
    const jwks = await restarted.keys.publicJwks();
    expect(jwks.keys.map((k) => k.kty)).toEqual(['RSA', 'EC']);
    expect(jwks.keys[1]).toEqual(es.keys[0]);
    const jwt = await restarted.tokens.fresh({ id: sessionId, user_id: 'user_x' }, 60, null, server.clock.now());
    const { protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), { currentDate: new Date(server.clock.now()) });
    expect(protectedHeader.alg).toBe('RS256');
  });

  it('rotate: the JWKS publishes current and previous, new tokens use the new key', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'gil' });
    const before = expectOk(await b.get('/.well-known/jwks.json')).keys;
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(before[0].d).toBeUndefined();
    const kid = await server.deps.keys.rotate();
    const after = expectOk(await b.get('/.well-known/jwks.json')).keys;
    expect(after.map((k: { kid: string }) => k.kid)).toEqual([kid, before[0].kid]);
    const jwt = expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens`)).jwt as string;
    expect(JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
  });
});
