import { describe, expect, it } from 'vitest';
import type { MiddlewareHandler } from 'hono';
import { errorOf, tinyApp } from '../../../test/support/tiny-app.js';
import type { RuntimeAdapter } from '../../http/runtime.js';
import { memoryRateLimiter } from '../../rate-limit/index.js';
import { rateLimit } from './index.js';

function setup(o: { trustProxy?: boolean; max?: number; peer?: string } = {}) {
  const clock = { t: 1_700_000_000_000 };
  const limiter = memoryRateLimiter({ max: o.max ?? 2, windowSeconds: 60 });
  // The runtime reports the TCP peer, as Node's adapter does behind a proxy (the proxy's address).
  const runtime: RuntimeAdapter = { readBody: async () => '', clientAddress: () => o.peer ?? '10.0.0.1' };
  const setRuntime: MiddlewareHandler = async function setRuntime(c, next) {
    c.set('runtime', runtime);
    await next();
  };
  const app = tinyApp(setRuntime, rateLimit('sign_in', { limiter, trustProxy: o.trustProxy ?? false, now: () => clock.t }));
  const post = (headers: Record<string, string> = {}) => app.request('/v1/client/sign_ins', { method: 'POST', headers });
  return { app, clock, post };
}

describe('rateLimit', () => {
  it('lets requests through up to the limit, then answers 429 too_many_requests with Retry-After', async () => {
    const { post, clock } = setup();
    expect((await post()).status).toBe(200);
    clock.t += 15_000;
    expect((await post()).status).toBe(200);
    const res = await post();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('45');
    const err = await errorOf(res);
    expect(err.code).toBe('too_many_requests');
    expect(err.meta).toEqual({ retry_after: 45 });
    expect(err.long_message).toBe('Too many requests; try again in 45 seconds.');
  });

  it('opens again when the window ends', async () => {
    const { post, clock } = setup({ max: 1 });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(429);
    clock.t += 60_000;
    expect((await post()).status).toBe(200);
  });

  it('counts only POSTs', async () => {
    const { app, post } = setup({ max: 1 });
    for (let i = 0; i < 3; i++) expect((await app.request('/v1/client')).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(429);
  });

  it('counts per peer address, ignoring X-Forwarded-For unless the proxy is trusted (a client cannot pick its own key)', async () => {
    const { post } = setup({ max: 1 });
    expect((await post({ 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
    expect((await post({ 'x-forwarded-for': '198.51.100.2' })).status).toBe(429);
  });

  it("behind a trusted proxy, counts per the proxy's last X-Forwarded-For hop", async () => {
    const { post } = setup({ max: 1, trustProxy: true });
    expect((await post({ 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
    expect((await post({ 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    // A spoofed first hop does not make a new key: the proxy appends the real address last.
    expect((await post({ 'x-forwarded-for': '203.0.113.9, 198.51.100.1' })).status).toBe(429);
    // No header at all: the peer address.
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(429);
  });

  it('keeps separate counts per endpoint group on one limiter', async () => {
    const limiter = memoryRateLimiter({ max: 1, windowSeconds: 60 });
    const o = { limiter, trustProxy: false, now: () => 0 };
    const signIn = tinyApp(rateLimit('sign_in', o));
    const signUp = tinyApp(rateLimit('sign_up', o));
    expect((await signIn.request('/', { method: 'POST' })).status).toBe(200);
    expect((await signUp.request('/', { method: 'POST' })).status).toBe(200);
    expect((await signIn.request('/', { method: 'POST' })).status).toBe(429);
  });

  it('is off with a null limiter', async () => {
    const app = tinyApp(rateLimit('sign_in', { limiter: null, trustProxy: false, now: () => 0 }));
    for (let i = 0; i < 5; i++) expect((await app.request('/', { method: 'POST' })).status).toBe(200);
  });

  it('refuses a group name that is not snake_case at set-up', () => {
    expect(() => rateLimit('sign in:x')).toThrow(/group must be snake_case/);
  });
});
