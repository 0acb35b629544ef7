import { describe, expect, it } from 'vitest';
import { errorOf, tinyApp, withDeps } from '../../../test/support/tiny-app.js';
import { freshStore } from '../../../test/support/database.js';
import { testConfig } from '../../../test/support/harness.js';
import { domainPolicy } from '../../domains/index.js';
import { fail } from '../../errors/index.js';
import { buildDeps } from '../../server.js';
import { defaultSettings } from '../../settings/schema.js';
import { cors } from './index.js';

const policy = domainPolicy({ ...defaultSettings, domain: 'example.com' }, 'production');
const app = tinyApp(cors({ isAllowedOrigin: (origin) => policy.isAllowedOrigin(origin) }));
const get = (origin?: string) => app.request('/v1/client', { headers: origin ? { origin } : {} });
const preflight = (origin: string) =>
  app.request('/v1/client/sign_ins', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });

describe('cors', () => {
  it('answers an allowed origin with credentialed CORS headers and runs the handler', async () => {
    const res = await get('https://app.example.com');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('reached');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it.each(['https://example-admin.com', 'http://app.example.com', 'null'])('gives %s no CORS headers (and still varies on Origin)', async (origin) => {
    const res = await get(origin);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it('adds nothing for a same-origin request without Origin', async () => {
    const res = await get();
    expect(await res.text()).toBe('reached');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight itself: 204 with methods and headers for an allowed origin', async () => {
    const res = await preflight('https://example.com');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://example.com');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,PATCH,DELETE,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type,Authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers');
  });

  it('refuses a preflight from another origin by leaving the CORS headers out', async () => {
    const res = await preflight('https://evil.example.net');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('keeps its headers on an error answer', async () => {
    const failing = tinyApp(cors({ isAllowedOrigin: () => true }), async function signedOut() {
      throw fail('signed_out');
    });
    const res = await failing.request('/x', { headers: { origin: 'https://a.example' } });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('signed_out');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://a.example');
  });

  it("defaults to the instance's allowed origins, read from its settings", async () => {
    const { store, cleanup } = await freshStore('sqlite');
    try {
      const deps = await buildDeps(testConfig({ mode: 'production' }), { store, log: () => {} });
      await deps.settings.update({ domain: 'example.com', allowSubdomains: false });
      const instance = tinyApp(withDeps(deps), cors());
      const allowed = await instance.request('/x', { headers: { origin: 'https://example.com' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://example.com');
      const subdomain = await instance.request('/x', { headers: { origin: 'https://app.example.com' } });
      expect(subdomain.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cleanup();
    }
  });
});
