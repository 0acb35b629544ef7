import { describe, expect, it } from 'vitest';
import { freshStore } from '../../../test/support/database.js';
import { testConfig } from '../../../test/support/harness.js';
import { errorOf, tinyApp, withDeps } from '../../../test/support/tiny-app.js';
import { domainPolicy } from '../../domains/index.js';
import { buildDeps } from '../../server.js';
import { defaultSettings } from '../../settings/schema.js';
import { checkOrigin } from './index.js';

const policy = domainPolicy({ ...defaultSettings, domain: 'example.com', allowedOrigins: ['https://partner.example.net'] }, 'production');
const app = tinyApp(checkOrigin({ isAllowedOrigin: (origin) => policy.isAllowedOrigin(origin) }));
const call = (method: string, origin?: string) => app.request('/v1/client/sign_ins', { method, headers: origin ? { origin } : {} });

describe('checkOrigin', () => {
  it.each(['https://example.com', 'https://accounts.example.com', 'https://partner.example.net'])('lets a POST from %s through', async (origin) => {
    const res = await call('POST', origin);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('reached');
  });

  it.each(['GET', 'HEAD', 'OPTIONS'])('lets a safe %s through from anywhere, Origin or not', async (method) => {
    expect((await call(method, 'https://evil.example.org')).status).toBe(200);
    expect((await call(method)).status).toBe(200);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses a %s from another site with 400 origin_invalid', async (method) => {
    const res = await call(method, 'https://example-admin.com');
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe('origin_invalid');
    expect(err.long_message).toBe('Requests from https://example-admin.com are not allowed by this instance.');
  });

  it('refuses a POST without Origin (browsers always send one; servers use the backend API)', async () => {
    const res = await call('POST');
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe('origin_invalid');
    expect(err.long_message).toBe('State-changing requests must carry an Origin header.');
  });

  it.each(['null', 'http://example.com', 'https://example.com:8443'])('refuses the near-miss origin %s', async (origin) => {
    expect((await errorOf(await call('POST', origin))).code).toBe('origin_invalid');
  });

  it("defaults to the instance's allowed origins, read from its settings", async () => {
    const { store, cleanup } = await freshStore('sqlite');
    try {
      const deps = await buildDeps(testConfig({ mode: 'production' }), { store, log: () => {} });
      await deps.settings.update({ domain: 'example.com' });
      const instance = tinyApp(withDeps(deps), checkOrigin());
      expect((await instance.request('/x', { method: 'POST', headers: { origin: 'https://app.example.com' } })).status).toBe(200);
      expect((await instance.request('/x', { method: 'POST', headers: { origin: 'http://localhost:3000' } })).status).toBe(400);
    } finally {
      await cleanup();
    }
  });
});
