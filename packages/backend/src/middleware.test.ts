/**
 * The adapters against a real Latchkey server (HTTP, SQLite in memory): real session tokens from
 * a real sign-up, checked by Express (a real Express app), Next.js (`middleware.ts` and route
 * handlers, driven the way Next drives them: Web Request in, Response or nothing out) and plain
 * fetch handlers. Each says who signed in (`userId`, `sessionId`, `getToken`) or refuses.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { SoftwareAuthenticator } from '../../server/test/support/authenticator.js';
import { expectOk, signUp } from '../../server/test/support/flows.js';
import { DEV_ORIGIN, TestBrowser, testConfig } from '../../server/test/support/harness.js';
import { remote } from '../../server/test/support/process.js';
import { createTokenVerifier, latchkeyMiddleware, nodeAuth, withAuth, type AuthState } from './index.js';

let server: RunningServer;
let browser: TestBrowser;
let sessionId: string;
let userId: string;

beforeAll(async () => {
  server = await startServer(testConfig({ port: 0 }), { log: () => {}, dispatcher: false });
  browser = new TestBrowser(remote(() => server.url), DEV_ORIGIN, 'test');
  ({ sessionId, userId } = await signUp(browser, new SoftwareAuthenticator(), { username: 'adapters' }));
});
afterAll(() => server?.close());

const token = async () => expectOk(await browser.post(`/v1/client/sessions/${sessionId}/tokens`)).jwt as string;
const verifier = () => createTokenVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json`, issuer: 'http://localhost:4000' });

describe('Express', () => {
  it('req.auth carries userId and sessionId; required routes answer 401 without a valid token', async () => {
    const verify = verifier();
    const app = express();
    app.get('/open', nodeAuth(verify), async (req, res) => {
      const auth = (req as typeof req & { auth: AuthState }).auth;
      res.json({ userId: auth.userId, sessionId: auth.sessionId, token: await auth.getToken() });
    });
    app.get('/closed', nodeAuth(verify, { required: true }), (req, res) => {
      res.json({ userId: (req as typeof req & { auth: AuthState }).auth.userId });
    });
    const http = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => http.once('listening', resolve));
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const jwt = await token();
      expect(await (await fetch(`${base}/open`, { headers: { authorization: `Bearer ${jwt}` } })).json()).toEqual({ userId, sessionId, token: jwt });
      expect(await (await fetch(`${base}/open`, { headers: { cookie: `other=1; __session=${jwt}` } })).json()).toMatchObject({ userId });
      expect(await (await fetch(`${base}/open`)).json()).toEqual({ userId: null, sessionId: null, token: null });
      const refused = await fetch(`${base}/closed`, { headers: { authorization: `Bearer ${jwt.slice(0, -4)}AAAA` } });
      expect(refused.status).toBe(401);
      expect((await refused.json()).errors[0]).toMatchObject({ code: 'authentication_invalid', long_message: 'Session token refused: token_invalid.' });
      expect(await (await fetch(`${base}/closed`, { headers: { authorization: `Bearer ${jwt}` } })).json()).toEqual({ userId });
    } finally {
      http.close();
    }
  });
});

describe('Next.js', () => {
  /** What Next does with `middleware.ts`: its Response if it returns one, else on to the route handler. */
  const nextRuntime =
    (middleware: (req: Request) => Promise<Response | undefined>, handler: (req: Request) => Promise<Response>) => async (req: Request) =>
      (await middleware(req)) ?? handler(req);

  it('middleware.ts gates protected paths: pages redirect to sign-in, API calls get 401, the rest pass', async () => {
    const verify = verifier();
    const handler = withAuth(verify, (_req, _claims, auth) => Response.json({ userId: auth.userId, sessionId: auth.sessionId }));
    const open = async () => new Response('public page');
    const app = nextRuntime(latchkeyMiddleware(verify, { protect: ['/dashboard', /^\/api\/private\//], signInUrl: '/sign-in' }), async (req) =>
      new URL(req.url).pathname.startsWith('/api/private/') ? handler(req) : open(),
    );
    const jwt = await token();

    expect(await (await app(new Request('http://app.test/'))).text()).toBe('public page');
    // Only the listed prefix, not a lookalike path.
    expect(await (await app(new Request('http://app.test/dashboards', { headers: { accept: 'text/html' } }))).text()).toBe('public page');

    const page = await app(new Request('http://app.test/dashboard/settings', { headers: { accept: 'text/html' } }));
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toBe('http://app.test/sign-in?redirect_url=http%3A%2F%2Fapp.test%2Fdashboard%2Fsettings');
    const signedInPage = await app(new Request('http://app.test/dashboard/settings', { headers: { accept: 'text/html', cookie: `__session=${jwt}` } }));
    expect(await signedInPage.text()).toBe('public page');

    const api = await app(new Request('http://app.test/api/private/me'));
    expect(api.status).toBe(401);
    expect((await api.json()).errors[0].code).toBe('authentication_invalid');
    const me = await app(new Request('http://app.test/api/private/me', { headers: { authorization: `Bearer ${jwt}` } }));
    expect(await me.json()).toEqual({ userId, sessionId });
  });

  it('route handlers alone refuse a token from another issuer', async () => {
    const handler = withAuth(createTokenVerifier({ jwksUrl: `${server.url}/.well-known/jwks.json`, issuer: 'https://elsewhere.example' }), () =>
      Response.json({ ok: true }),
    );
    const res = await handler(new Request('http://app.test/api/me', { headers: { authorization: `Bearer ${await token()}` } }));
    expect(res.status).toBe(401);
  });

  it('a session signed out at Latchkey stops getting tokens; its last token lives until it expires', async () => {
    const b = new TestBrowser(remote(() => server.url), DEV_ORIGIN, 'test');
    const other = await signUp(b, new SoftwareAuthenticator(), { username: 'leaving' });
    const jwt = expectOk(await b.post(`/v1/client/sessions/${other.sessionId}/tokens`)).jwt as string;
    expectOk(await b.post(`/v1/client/sessions/${other.sessionId}/end`));
    expect((await b.post(`/v1/client/sessions/${other.sessionId}/tokens`)).status).toBe(401);
    // Networkless verification: the token minted before still verifies within its short lifetime.
    const handler = withAuth(verifier(), (_req, _claims, auth) => Response.json({ sessionId: auth.sessionId }));
    expect(await (await handler(new Request('http://app.test/', { headers: { authorization: `Bearer ${jwt}` } }))).json()).toEqual({ sessionId: other.sessionId });
  });
});
