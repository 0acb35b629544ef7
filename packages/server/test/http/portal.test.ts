/**
 * The account portal on the server: the redirect check its pages rely on (no open redirect), the
 * paths its pages answer at, and their security headers. Runs on SQLite and on PostgreSQL: the
 * check reads the stored settings.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mountWebApps } from '../../src/server.js';
import { expectError, expectOk } from '../support/flows.js';
import { createTestServer, type TestServer } from '../support/harness.js';

const check = (server: TestServer, redirectUrl: string) => server.browser().get(`/portal/api/redirect?redirect_url=${encodeURIComponent(redirectUrl)}`);

let servers: TestServer[] = [];
afterEach(() => {
  const errorLines = servers.flatMap((s) => s.logs.splice(0).filter((l) => l.startsWith('error')));
  servers = [];
  expect(errorLines).toEqual([]);
});

async function production(): Promise<TestServer> {
  const server = await createTestServer({
    config: { mode: 'production', publicUrl: 'https://accounts.example.com' },
    settings: { domain: 'example.com', allowedOrigins: ['https://partner.example.net'] },
  });
  servers.push(server);
  return server;
}

describe('portal redirect check', () => {
  it('answers the parsed URL for the instance domain, its subdomains, extra origins and portal paths', async () => {
    const server = await production();
    for (const [given, url] of [
      ['https://app.example.com/welcome?from=portal#top', 'https://app.example.com/welcome?from=portal#top'],
      ['https://example.com', 'https://example.com/'],
      ['https://partner.example.net/in', 'https://partner.example.net/in'],
      ['/user', 'https://accounts.example.com/user'],
    ]) {
      const res = await check(server, given!);
      expect(expectOk(res)).toEqual({ object: 'redirect', url });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it.each([
    ['another site', 'https://evil.com/'],
    ['a look-alike domain', 'https://example.com.evil.com/'],
    ['plain http', 'http://app.example.com/'],
    ['another port', 'https://app.example.com:8443/'],
  ])('refuses %s with origin_invalid', async (_what, given) => {
    const server = await production();
    const error = expectError(await check(server, given), 400, 'origin_invalid');
    expect(error.meta).toEqual({ param_name: 'redirect_url' });
    expect(error.long_message).toMatch(/not an allowed origin/);
  });

  it.each([
    ['javascript:', 'javascript:alert(document.domain)'],
    ['data:', 'data:text/html,hi'],
    ['protocol-relative', '//evil.com/'],
    ['backslash protocol-relative', '/\\evil.com'],
    ['backslashes after the scheme', 'https:\\\\evil.com'],
    ['userinfo', 'https://app.example.com@evil.com/'],
    ['scheme without slashes', 'https:evil.com'],
    ['a tab in the scheme', 'java\tscript:alert(1)'],
    ['a bare host', 'evil.com'],
  ])('refuses %s with form_param_format_invalid', async (_what, given) => {
    const server = await production();
    const error = expectError(await check(server, given), 422, 'form_param_format_invalid');
    expect(error.meta).toEqual({ param_name: 'redirect_url' });
  });

  it('refuses a missing or repeated redirect_url', async () => {
    const server = await production();
    const b = server.browser();
    expectError(await b.get('/portal/api/redirect'), 422, 'form_param_missing');
    // Which of two values wins differs between parsers: neither is taken.
    const twice = await b.get(`/portal/api/redirect?redirect_url=${encodeURIComponent('https://app.example.com/')}&redirect_url=${encodeURIComponent('https://evil.com/')}`);
    expectError(twice, 422, 'form_param_format_invalid');
  });

  it('follows a settings change at once: a removed extra origin is refused', async () => {
    const server = await production();
    expectOk(await check(server, 'https://partner.example.net/'));
    await server.setSettings({ allowedOrigins: [] });
    expectError(await check(server, 'https://partner.example.net/'), 400, 'origin_invalid');
  });

  it('answers an unknown portal API path with the JSON 404', async () => {
    const server = await production();
    expectError(await server.browser().get('/portal/api/nope'), 404, 'not_found');
  });
});

describe('portal theme', () => {
  it('publishes the brand and background colours in the environment, and leaves them out when unset', async () => {
    const server = await production();
    const b = server.browser();
    expect(expectOk(await b.get('/v1/environment')).display_config.theme).toEqual({ general: {} });
    await server.setSettings({ applicationName: 'Acme', brandColor: '#0f766e', backgroundColor: '#f0fdfa' });
    const display = expectOk(await b.get('/v1/environment')).display_config;
    expect(display).toMatchObject({ application_name: 'Acme', theme: { general: { color: '#0f766e', background_color: '#f0fdfa' } } });
  });

  it.each(['red', '#fff', '#0f766e; background: url(https://tracker.example/x)', 'url(https://tracker.example/x)', '#0f766eff'])(
    'refuses the colour %j with the setting named, and stores nothing',
    async (value) => {
      const server = await production();
      await expect(server.setSettings({ brandColor: value })).rejects.toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'brand_color' } });
      await expect(server.setSettings({ backgroundColor: value })).rejects.toMatchObject({ code: 'form_param_format_invalid', meta: { param_name: 'background_color' } });
      expect(await server.deps.settings.get()).toMatchObject({ brandColor: null, backgroundColor: null });
    },
  );
});

describe('portal pages', () => {
  let dirs: { app: string; portal: string; root: string };
  beforeAll(async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'latchkey-portal-'));
    dirs = { root, app: path.join(root, 'app'), portal: path.join(root, 'portal') };
    await mkdir(dirs.app);
    await mkdir(path.join(dirs.portal, 'assets'), { recursive: true });
    await writeFile(path.join(dirs.app, 'index.html'), '<title>app</title>');
    await writeFile(path.join(dirs.portal, 'index.html'), '<title>portal</title><script type="module" src="/portal/assets/p.js"></script>');
    await writeFile(path.join(dirs.portal, 'assets', 'p.js'), 'console.log(1)');
  });
  afterAll(() => rm(dirs.root, { recursive: true, force: true }));

  async function page(server: TestServer, p: string): Promise<{ status: number; body: string; frame: string | undefined; location: string | null }> {
    const res = await server.app.request(p);
    const csp = res.headers.get('content-security-policy') ?? '';
    return { status: res.status, body: await res.text(), frame: csp.split('; ').find((d) => d.startsWith('frame-ancestors')), location: res.headers.get('location') };
  }

  it('lives under /portal next to an app, which keeps its own /sign-in', async () => {
    const server = await production();
    mountWebApps(server.app, { appDir: dirs.app, portalDir: dirs.portal });
    for (const p of ['/portal/sign-in', '/portal/sign-up', '/portal/user', '/portal']) {
      expect(await page(server, p)).toMatchObject({ status: 200, body: expect.stringContaining('<title>portal</title>'), frame: "frame-ancestors 'none'" });
    }
    expect(await page(server, '/portal/assets/p.js')).toMatchObject({ status: 200, body: 'console.log(1)', frame: "frame-ancestors 'none'" });
    for (const p of ['/sign-in', '/sign-up', '/user', '/']) {
      expect(await page(server, p)).toMatchObject({ status: 200, body: '<title>app</title>', frame: "frame-ancestors 'none'" });
    }
    // The redirect check is still the API, never a page.
    expect((await page(server, '/portal/api/redirect?redirect_url=https://evil.com')).status).toBe(400);
  });

  it('also answers at /sign-in, /sign-up and /user on a server with no app, and sends / to /user', async () => {
    const server = await production();
    mountWebApps(server.app, { appDir: null, portalDir: dirs.portal });
    for (const p of ['/sign-in', '/sign-up', '/user', '/portal/sign-in']) {
      expect(await page(server, p)).toMatchObject({ status: 200, body: expect.stringContaining('<title>portal</title>'), frame: "frame-ancestors 'none'" });
    }
    expect(await page(server, '/')).toMatchObject({ status: 302, location: '/user' });
    // Only those pages: anything else is not the portal's.
    expect((await page(server, '/account')).status).toBe(404);
    expect((await page(server, '/v1/nope')).status).toBe(404);
  });
});
