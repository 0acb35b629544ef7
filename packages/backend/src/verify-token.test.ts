import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { SoftwareAuthenticator } from '../../server/test/support/authenticator.js';
import { expectOk, signUp } from '../../server/test/support/flows.js';
import { DEV_ORIGIN, TestBrowser, testConfig } from '../../server/test/support/harness.js';
import { remote } from '../../server/test/support/process.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { authenticateRequest, createTokenVerifier, honoAuth, nodeAuth, sessionTokenFromRequest, TokenVerificationError, withAuth, type AuthState } from './index.js';

// A real Latchkey server over HTTP (SQLite in memory), so the verifier fetches a real JWKS.
let server: RunningServer;
let browser: TestBrowser;
let sessionId: string;

beforeAll(async () => {
  server = await startServer(testConfig({ port: 0 }), { log: () => {} });
  browser = new TestBrowser(remote(() => server.url), DEV_ORIGIN, 'test');
  ({ sessionId } = await signUp(browser, new SoftwareAuthenticator(), { username: 'backend' }));
});
afterAll(() => server?.close());

const token = async () => expectOk(await browser.post(`/v1/client/sessions/${sessionId}/tokens`)).jwt as string;
const verifier = (o: Partial<Parameters<typeof createTokenVerifier>[0]> = {}) =>
  createTokenVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json`, issuer: 'http://localhost:4000', ...o });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    expect(err).toBeInstanceOf(TokenVerificationError);
    return (err as TokenVerificationError).code;
  }
}

describe('createTokenVerifier', () => {
  it('accepts a session token and returns its claims', async () => {
    const claims = await verifier({ authorizedParties: [DEV_ORIGIN] })(await token());
    expect(claims.sid).toBe(sessionId);
    expect(claims.sub).toMatch(/^user_/);
  });

  it('refuses a missing, tampered, foreign-issuer or wrong-party token', async () => {
    const jwt = await token();
    expect(await codeOf(verifier()(undefined))).toBe('token_missing');
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'user_someone_else' })).toString('base64url')}.${s}`;
    expect(await codeOf(verifier()(forged))).toBe('token_invalid');
    expect(await codeOf(verifier({ issuer: 'https://auth.other.example' })(jwt))).toBe('token_invalid');
    expect(await codeOf(verifier({ authorizedParties: ['https://app.example.com'] })(jwt))).toBe('token_invalid_authorized_party');
  });

  it('refuses an expired token', async () => {
    const jwt = await token();
    const exp = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).exp as number;
    const verify = verifier();
    vi.useFakeTimers({ toFake: ['Date'], now: (exp + 10) * 1000 });
    try {
      expect(await codeOf(verify(jwt))).toBe('token_expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('picks up a rotated key without restarting', async () => {
    const verify = verifier({ jwksCooldownMs: 200 });
    await verify(await token());
    await server.deps.keys.rotate();
    // The cooldown is counted on Date.now(): move the clock past it instead of sleeping.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 250 });
    try {
      expect((await verify(await token())).sid).toBe(sessionId);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('reading the token from a request', () => {
  it('takes the bearer header, else the __session cookie', async () => {
    expect(sessionTokenFromRequest(new Request('http://x', { headers: { authorization: 'Bearer abc' } }))).toBe('abc');
    expect(sessionTokenFromRequest(new Request('http://x', { headers: { cookie: 'a=1; __session=xyz' } }))).toBe('xyz');
    expect(sessionTokenFromRequest(new Request('http://x'))).toBeNull();
    const jwt = await token();
    const ok = await authenticateRequest(new Request('http://x', { headers: { authorization: `Bearer ${jwt}` } }), verifier());
    expect(ok).toMatchObject({ signedIn: true, sessionId, userId: expect.stringMatching(/^user_/), claims: { sid: sessionId } });
    expect(await ok.getToken()).toBe(jwt);
    const out = await authenticateRequest(new Request('http://x'), verifier());
    expect(out).toMatchObject({ signedIn: false, reason: 'token_missing', userId: null, sessionId: null });
    expect(await out.getToken()).toBeNull();
  });
});

describe('framework adapters', () => {
  it('Hono: sets c.get("auth"), and with required answers 401 before the handler', async () => {
    const app = new Hono<{ Variables: { auth: AuthState } }>();
    app.use('/open/*', honoAuth(verifier()));
    app.use('/closed/*', honoAuth(verifier(), { required: true }));
    app.get('/open/me', (c) => c.json(c.get('auth')));
    app.get('/closed/me', (c) => c.json({ sub: c.get('auth').signedIn && c.get('auth') }));
    const jwt = await token();
    expect(await (await app.request('/open/me')).json()).toEqual({ signedIn: false, reason: 'token_missing', userId: null, sessionId: null });
    const closed = await app.request('/closed/me');
    expect(closed.status).toBe(401);
    expect((await closed.json()).errors[0].code).toBe('authentication_invalid');
    expect((await app.request('/closed/me', { headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
  });

  it('Node http / Express: sets req.auth from the __session cookie, or answers 401 when required', async () => {
    const jwt = await token();
    const open = nodeAuth(verifier());
    const closed = nodeAuth(verifier(), { required: true });
    const http = createServer((req, res) => {
      const mw = req.url === '/closed' ? closed : open;
      mw(req as typeof req & { auth?: AuthState }, res, () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify((req as typeof req & { auth?: AuthState }).auth));
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const withCookie = await (await fetch(`${base}/open`, { headers: { cookie: `__session=${jwt}` } })).json();
      expect(withCookie).toMatchObject({ signedIn: true, claims: { sid: sessionId } });
      expect((await fetch(`${base}/closed`)).status).toBe(401);
    } finally {
      http.close();
    }
  });

  it('fetch handlers: withAuth passes the claims or answers 401', async () => {
    const handler = withAuth(verifier(), (_req, claims) => Response.json({ user: claims.sub }));
    expect((await handler(new Request('http://x/'))).status).toBe(401);
    const ok = await handler(new Request('http://x/', { headers: { authorization: `Bearer ${await token()}` } }));
    expect((await ok.json()).user).toMatch(/^user_/);
  });
});

describe('a recovery session (sts: "pending")', () => {
  it('is signed out by default until it adds a passkey; treatPendingAsSignedOut: false lets a route see it', async () => {
    await server.deps.settings.update({ recoveryCodes: true });
    const b = new TestBrowser(remote(() => server.url), DEV_ORIGIN, 'test');
    await signUp(b, new SoftwareAuthenticator(), { username: 'recovering' });
    const codes = expectOk(await b.post('/v1/me/recovery_codes')).response.codes as string[];
    expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
    const signIn = expectOk(await b.post('/v1/client/sign_ins', { identifier: 'recovering' })).response;
    const sid = expectOk(await b.post(`/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, { strategy: 'recovery_code', code: codes[0] })).response.created_session_id as string;
    const pending = expectOk(await b.post(`/v1/client/sessions/${sid}/tokens`)).jwt as string;

    expect(await codeOf(verifier()(pending))).toBe('session_pending');
    const seen = await verifier({ treatPendingAsSignedOut: false })(pending);
    expect(seen).toMatchObject({ sid, sts: 'pending' });
    const req = new Request('http://app.test/', { headers: { authorization: `Bearer ${pending}` } });
    expect(await authenticateRequest(req, verifier())).toMatchObject({ signedIn: false, reason: 'session_pending', userId: null });

    // A new passkey lifts the limit: the next token is a full one.
    const started = expectOk(await b.post(`/v1/me/passkeys?_clerk_session_id=${sid}`)).response;
    const credential = await new SoftwareAuthenticator().create(JSON.parse(started.verification.nonce), { origin: DEV_ORIGIN });
    expectOk(await b.post(`/v1/me/passkeys/${started.id}/attempt_verification?_clerk_session_id=${sid}`, { strategy: 'passkey', public_key_credential: credential }));
    const full = expectOk(await b.post(`/v1/client/sessions/${sid}/tokens`)).jwt as string;
    expect((await verifier()(full)).sts).toBeUndefined();
  });
});
