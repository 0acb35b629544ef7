import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memoryRateLimiter, redisRateLimiter } from '../../src/rate-limit/index.js';
import { expectError, expectOk } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const limit = { max: 3, windowSeconds: 60 };

describe('rate limits on unauthenticated endpoints', () => {
  it('answer 429 too_many_requests with Retry-After past the limit, per IP and endpoint group', async () => {
    const server = await createTestServer({ config: { trustProxy: true }, rateLimiter: memoryRateLimiter(limit) });
    const b = server.browser();
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': `198.51.100.7, ${ip}` } });
    for (let i = 0; i < 3; i++) expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }, from('203.0.113.1')));
    const limited = await b.post('/v1/client/sign_ins', { strategy: 'passkey' }, from('203.0.113.1'));
    const err = expectError(limited, 429, 'too_many_requests');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(err.meta.retry_after).toBe(Number(limited.headers.get('retry-after')));
    // Nothing was created by the refused call.
    expect(await server.deps.store.db.selectFrom('sign_ins').select('id').execute()).toHaveLength(3);
    // Another IP, and another group, are unaffected; the window ends.
    expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }, from('203.0.113.2')));
    expectOk(await b.post('/v1/client/sign_ups', { username: 'limited' }, from('203.0.113.1')));
    server.clock.advance(60_000);
    expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }, from('203.0.113.1')));
  });

  it('ignore X-Forwarded-For unless the server is told it sits behind a proxy', async () => {
    const server = await createTestServer({ rateLimiter: memoryRateLimiter(limit) });
    const b = server.browser();
    for (let i = 0; i < 3; i++) {
      expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }, { headers: { 'x-forwarded-for': `10.0.0.${i}` } }));
    }
    expectError(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }, { headers: { 'x-forwarded-for': '10.0.0.9' } }), 429, 'too_many_requests');
  });

  it('also limit client creation (POST /v1/client makes a row per call without a cookie)', async () => {
    const server = await createTestServer({ rateLimiter: memoryRateLimiter(limit) });
    for (let i = 0; i < 3; i++) expectOk(await server.browser().post('/v1/client'));
    expectError(await server.browser().post('/v1/client'), 429, 'too_many_requests');
    expect(await server.deps.store.db.selectFrom('clients').select('id').execute()).toHaveLength(3);
  });

  it('fall back to per-process counting while Redis is unreachable, warning once', async () => {
    const warnings: string[] = [];
    // Port 1 on loopback: nothing listens there, so every Redis call fails fast.
    const limiter = redisRateLimiter(limit, 'redis://127.0.0.1:1', 'latchkey:test', (e) => warnings.push(e.message));
    const server = await createTestServer({ rateLimiter: limiter });
    const b = server.browser();
    for (let i = 0; i < 3; i++) expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }));
    expectError(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }), 429, 'too_many_requests');
    expect(warnings).toHaveLength(1);
  });

  it('share counters between server processes through Redis', async () => {
    const prefix = `latchkey:test:${randomBytes(6).toString('hex')}`;
    const a = await createTestServer({ config: { trustProxy: true }, rateLimiter: redisRateLimiter(limit, REDIS_URL, prefix) });
    const b = await createTestServer({ config: { trustProxy: true }, rateLimiter: redisRateLimiter(limit, REDIS_URL, prefix) });
    const ip = { headers: { 'x-forwarded-for': '192.0.2.44' } };
    expectOk(await a.browser().post('/v1/client/sign_ins', { strategy: 'passkey' }, ip));
    expectOk(await b.browser().post('/v1/client/sign_ins', { strategy: 'passkey' }, ip));
    expectOk(await a.browser().post('/v1/client/sign_ins', { strategy: 'passkey' }, ip));
    expectError(await b.browser().post('/v1/client/sign_ins', { strategy: 'passkey' }, ip), 429, 'too_many_requests');
  });
});
