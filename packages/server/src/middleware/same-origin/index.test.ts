import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../errors/index.js';
import { sameOrigin } from './index.js';

const app = new Hono();
app.onError((err, c) => c.json({ code: err instanceof LatchkeyError ? err.code : 'other' }, 400));
app.use(sameOrigin('https://auth.example.com'));
app.all('/x', (c) => c.json({ ok: true }));

const call = async (method: string, headers: Record<string, string> = {}) => (await (await app.request('/x', { method, headers })).json()) as object;

describe('sameOrigin', () => {
  it('lets the own origin through, and GETs without Origin (same-origin fetches send none)', async () => {
    expect(await call('POST', { origin: 'https://auth.example.com', 'sec-fetch-site': 'same-origin' })).toEqual({ ok: true });
    expect(await call('GET')).toEqual({ ok: true });
    expect(await call('GET', { 'sec-fetch-site': 'none' })).toEqual({ ok: true });
  });
  it('refuses another origin, a POST without Origin, and a cross-site fetch', async () => {
    expect(await call('POST', { origin: 'https://app.example.com' })).toEqual({ code: 'origin_invalid' });
    expect(await call('GET', { origin: 'https://evil.example' })).toEqual({ code: 'origin_invalid' });
    expect(await call('POST')).toEqual({ code: 'origin_invalid' });
    expect(await call('GET', { 'sec-fetch-site': 'same-site' })).toEqual({ code: 'origin_invalid' });
    expect(await call('GET', { 'sec-fetch-site': 'cross-site' })).toEqual({ code: 'origin_invalid' });
  });
});
